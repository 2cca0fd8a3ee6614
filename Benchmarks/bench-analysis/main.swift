print("bench-analysis: not yet")
