// ImageLookup: placeholder until its first real file lands; delete me then.
