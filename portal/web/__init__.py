"""Blueprints: one per area of the site. Views parse the request, call a service, render."""


def register_blueprints(app) -> None:
    from portal.web import buyers, errors, guidance, home, missions, opportunities, search

    for module in (home, opportunities, search, missions, buyers, guidance):
        app.register_blueprint(module.bp)
    errors.init_app(app)
