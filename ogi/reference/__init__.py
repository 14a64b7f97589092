"""Reference data every stage shares: the spec's canonical keys and the GB/T 2260 divisions."""
