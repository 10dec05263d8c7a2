"""Conditions before training: a trust's list of conditions on a place (DBS check, references,
...), each place's conditions with who recorded them, and a lead's override to start training."""
