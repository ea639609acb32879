"""Input schemas: what each form accepts, checked before any command runs."""
