// ZKTranscript: see the module's files.
