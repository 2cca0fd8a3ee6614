// ResultMatching: placeholder until its first real file lands; delete me then.
