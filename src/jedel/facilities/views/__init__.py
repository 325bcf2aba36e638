"""Pages and htmx partials of the facilities app."""
