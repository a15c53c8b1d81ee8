"""ICC Marketplace: cities buy from SMEs and seek funding together."""
