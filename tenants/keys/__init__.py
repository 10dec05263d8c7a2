"""Each trust's wrapped data key (see peerpath.crypto, which reads and writes this table)."""
