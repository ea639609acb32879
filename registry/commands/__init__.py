"""Command mixins of the registry application, one module per concept."""
