"""Where work is, as people say it: UK local authorities (councils, combined authorities) and the areas each
opportunity is tagged with. Regions (ITL1) stay in portal.reference."""
