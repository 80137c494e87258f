"""Running all day: follow feeds into the store, match watches, serve, brief (`onrecord run`)."""
