"""Pages and htmx partials of the capacity app: the national board and facility pages."""
