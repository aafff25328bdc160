import Contracts
import Foundation
import ServiceKit
import Testing
@testable import CodeRunner

/// `/code/clean-code`: top-level imports only, sorted and de-duplicated; every tricky input
/// compiles and prints the same before and after (both run in a kernel).
@Suite(.serialized) struct CleanCodeTests {
    static let tricky: [String] = [
        // Conditional, try and function-level imports stay; a docstring that looks like one stays.
        #"""
        """Report.

        import os  (this line is text, not an import)
        """
        import sys
        x = 3
        if x > 2:
            import json
            print(json.dumps({"x": x}))
        try:
            import tomllib as toml_reader
        except ImportError:
            toml_reader = None
        def f():
            import math
            return math.floor(2.7)
        print(f(), toml_reader is not None)
        import collections
        import sys
        print(collections.Counter("abca").most_common(1), sys.version_info.major)
        """#,
        // Parenthesised multi-line imports, aliases, `import a, b`, block markers and comments.
        """
        # stats_agent code start
        from statistics import (
            mean,
            median,  # the middle
        )
        import os, re
        print(mean([1, 2, 3]), median([3, 1, 2]))  # a comment
        # stats_agent code end
        # text_agent code start
        import re
        from statistics import (
            mean,
            median,  # the middle
        )
        print(re.sub("a", "b", "banana"), os.sep)
        # text_agent code end
        """,
        // A name bound before its import keeps the import in place (moving it would change the name).
        """
        math = "not yet"
        print(math)
        import math
        print(math.pi > 3)
        import itertools
        print(list(itertools.islice(itertools.count(), 3)))
        """,
        // An import sharing its line with another statement stays; `from __future__` first.
        """
        from __future__ import annotations
        import string; print(len(string.digits))
        import abc
        print(abc.ABC.__name__)
        """,
        // Code that does not parse comes back unchanged.
        "import os\nprint(\n",
    ]

    @Test func trickyInputsCompileAndBehaveTheSame() async throws {
        let service = try await CodeRunnerFixture.start()
        defer { Task { await service.close() } }
        for (index, code) in Self.tricky.enumerated() {
            let response = await service.post("/code/clean-code", json: CodeRunnerAPI.CleanCodeRequest(code: code))
            #expect(response.status == 200)
            let cleaned = try response.json(CodeRunnerAPI.CleanCodeResponse.self).cleanedCode
            let before = try await service.execute(code, session: "clean-\(index)-before")
            let after = try await service.execute(cleaned, session: "clean-\(index)-after")
            if index == Self.tricky.count - 1 {
                #expect(cleaned == code)
                #expect(!before.isSuccessful)
                continue
            }
            #expect(before.isSuccessful, "input \(index): \(before.output)")
            #expect(after.isSuccessful, "input \(index) cleaned:\n\(cleaned)\n\(after.output)")
            let printed = { (result: CodeRunnerAPI.ExecuteResponse) in result.blocks.map(\.stdout).joined() }
            #expect(printed(before) == printed(after), "input \(index) cleaned:\n\(cleaned)")
        }
    }

    @Test func importsMoveSortedAndDeduplicated() async throws {
        let service = try await CodeRunnerFixture.start()
        defer { Task { await service.close() } }
        func clean(_ code: String) async throws -> String {
            try await service.post("/code/clean-code", json: CodeRunnerAPI.CleanCodeRequest(code: code))
                .json(CodeRunnerAPI.CleanCodeResponse.self).cleanedCode
        }
        let first = try await clean(Self.tricky[0])
        let lines = first.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // After the module docstring: `import collections`, `import sys`, then the rest.
        #expect(lines[4] == "import collections")
        #expect(lines[5] == "import sys")
        #expect(first.components(separatedBy: "import sys").count == 2)
        #expect(first.contains("    import json"))
        #expect(first.contains("    import tomllib as toml_reader"))
        #expect(first.contains("    import math"))
        #expect(first.contains("import os  (this line is text, not an import)"))
        let second = try await clean(Self.tricky[1])
        #expect(second.hasPrefix("import os\nimport re\nfrom statistics import mean, median\n\n# stats_agent code start\n"))
        #expect(second.contains("# the middle"))
        #expect(second.contains("# text_agent code end"))
        #expect(second.components(separatedBy: "from statistics import mean, median").count == 2)
        let third = try await clean(Self.tricky[2])
        #expect(third.hasPrefix("import itertools\n\nmath = \"not yet\""))
        #expect(third.contains("print(math)\nimport math\n"))
        let fourth = try await clean(Self.tricky[3])
        #expect(fourth.hasPrefix("from __future__ import annotations\nimport abc\n"))
        #expect(fourth.contains("import string; print(len(string.digits))"))
        let noCode = await service.post("/code/clean-code", json: CodeRunnerAPI.CleanCodeRequest(code: nil))
        #expect(noCode.status == 400)
    }
}
