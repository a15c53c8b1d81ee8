"""The standards catalogue, city commitments to standards and listings' conformance claims."""
