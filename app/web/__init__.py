"""The web layer's wiring: sign-in, CSRF, error pages, template helpers, form helpers,
bounds on request inputs, compressed static files and short-lived uploads."""
