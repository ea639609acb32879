"""The registry application: commands, configuration, persistence and the command line."""
