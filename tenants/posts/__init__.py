"""After training: the trust's teams and partners, the posts they offer, and matching the
people who completed the training to those posts (interest, interview, placement)."""
