// CodeRunner
