"""Layout templates, static assets and the helpers every page controller uses."""
