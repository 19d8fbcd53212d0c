"""Blueprints: one per area of the site. Views parse the request, call a service, render."""


def register_blueprints(app) -> None:
    from portal.web import (
        accounts,
        admin,
        buyer,
        buyer_awards,
        buyer_bidding,
        buyer_meetings,
        buyer_review,
        buyer_withdraw,
        buyers,
        dashboard,
        data,
        draft_preview,
        errors,
        events,
        guidance,
        health,
        home,
        meetings,
        messages,
        missions,
        opportunities,
        participation,
        saved_searches,
        search,
        voice,
        buyer_voice,
    )

    for module in (home, opportunities, participation, events, search, saved_searches, missions, buyers, guidance,
                   accounts, dashboard, messages, data, buyer, admin, health, meetings, buyer_meetings,
                   buyer_bidding, buyer_withdraw, voice, buyer_voice, buyer_review, draft_preview, buyer_awards):
        app.register_blueprint(module.bp)
    errors.init_app(app)
