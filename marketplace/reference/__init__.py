"""Reference vocabularies shipped with the package: CPV, NUTS, ICC themes, countries, currencies."""
