func runPolySuite(_ reporter: Reporter) {}
