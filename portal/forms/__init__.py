"""Forms: every field's checks and the plain message shown when a check fails."""
