import Foundation

/// Real analyzer programs for the tests (Python 3, no packages): each a file in a temporary folder, run as a process.
enum AnalyzerScripts {
    /// Answers every request: the image's file name as a general tag, a character tag, a rating and a description.
    static let good = """
        import json, os, sys
        print(json.dumps({"ready": True, "analyzer": "good"}), flush=True)
        for line in sys.stdin:
            request = json.loads(line)
            name = os.path.splitext(os.path.basename(request["path"]))[0]
            if name.startswith("unreadable"):
                print(json.dumps({"id": request["id"], "error": "cannot read " + name}), flush=True)
                continue
            print(json.dumps({"id": request["id"], "tags": [
                {"tag": "from " + name, "category": "general", "confidence": 0.6},
                {"tag": "tester", "category": "character", "confidence": 0.95},
                {"tag": "faint", "category": "general", "confidence": 0.2}],
                "rating": "General", "rating_confidence": 0.9,
                "description": "%dx%d %s" % (request["width"], request["height"], request["sha256"][:8])}), flush=True)
        """

    /// Answers two requests, then dies on the third with a traceback-like line on stderr.
    static let crashesOnThird = """
        import json, sys
        print(json.dumps({"ready": True}), flush=True)
        for count, line in enumerate(sys.stdin, 1):
            request = json.loads(line)
            if count == 3:
                print("RuntimeError: model exploded", file=sys.stderr, flush=True)
                sys.exit(3)
            print(json.dumps({"id": request["id"], "tags": [{"tag": "ok", "category": "general", "confidence": 1}]}), flush=True)
        """

    /// Answers the first request, then never answers again (reads on, prints nothing).
    static let hangsOnSecond = """
        import json, sys, time
        print(json.dumps({"ready": True}), flush=True)
        for count, line in enumerate(sys.stdin, 1):
            request = json.loads(line)
            if count >= 2:
                time.sleep(3600)
            print(json.dumps({"id": request["id"], "tags": [{"tag": "ok", "category": "general", "confidence": 1}]}), flush=True)
        """

    /// Answers the first request, then prints a stray log line instead of JSON.
    static let garbageOnSecond = """
        import json, sys
        print(json.dumps({"ready": True}), flush=True)
        for count, line in enumerate(sys.stdin, 1):
            request = json.loads(line)
            if count == 2:
                print("loading weights... 100%", flush=True)
                continue
            print(json.dumps({"id": request["id"], "tags": [{"tag": "ok", "category": "general", "confidence": 1}]}), flush=True)
        """

    /// Dies before it is ready.
    static let crashesAtStart = """
        import sys
        print("ImportError: no module named onnxruntime", file=sys.stderr, flush=True)
        sys.exit(1)
        """

    /// Never prints its ready line.
    static let neverReady = """
        import time
        time.sleep(3600)
        """

    /// Writes `script` into `folder` and returns the command that runs it.
    static func command(_ script: String, named name: String, in folder: URL) throws -> [String] {
        let url = folder.appendingPathComponent(name + ".py")
        try script.write(to: url, atomically: true, encoding: .utf8)
        return ["python3", url.path]
    }
}
