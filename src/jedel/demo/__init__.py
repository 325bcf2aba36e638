"""The labelled synthetic demo: facility network, capacity history, users. Above the apps, below the CLI."""
