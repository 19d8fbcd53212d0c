"""Forms for review before publish: asking for changes, staff roles, and inviting buyers' staff with a role."""

from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from portal.forms.accounts import InviteForm
from portal.forms.base import PortalForm
from portal.forms.fields import options
from portal.models import StaffRole

STAFF_ROLES = {
    StaffRole.EDITOR: "Editor: writes drafts and sends them to a publisher to check",
    StaffRole.PUBLISHER: "Publisher: checks drafts, asks for changes and publishes",
}


class RequestChangesForm(PortalForm):
    comment = TextAreaField("What needs to change?", [
        InputRequired("Say what needs to change before it can be published"),
        Length(max=2000, message="What needs to change must be 2,000 characters or fewer"),
    ])


class StaffRoleForm(PortalForm):
    staff_role = RadioField("Role", choices=options(STAFF_ROLES.items()),
                            validators=[InputRequired("Choose editor or publisher")])


class EditorsPublishForm(PortalForm):
    allowed = BooleanField("Editors may publish items they wrote themselves, without a publisher checking them")


class StaffInviteForm(InviteForm):
    staff_role = RadioField("What can they do?", choices=options(STAFF_ROLES.items()),
                            validators=[InputRequired("Choose editor or publisher")])
