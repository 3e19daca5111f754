func runHashSuite(_ reporter: Reporter) {}
