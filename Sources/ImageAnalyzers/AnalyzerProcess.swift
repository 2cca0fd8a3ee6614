import Foundation
import Glibc

/// One long-lived analyzer process, started on first use, restarted when it dies, hangs or breaks the protocol, and
/// asked about one image at a time. The actor is the only owner of the process and its state; pipe callbacks only
/// feed events into an ordered stream that the actor consumes.
public actor AnalyzerProcess {
    public nonisolated let command: AnalyzerCommand

    private enum Phase {
        case stopped
        case starting(CheckedContinuation<String?, Never>)
        case idle
        case busy(id: Int, CheckedContinuation<AnalyzerOutcome, Never>)
    }

    /// Pipe and process events, tagged with the generation (start count) of the process they come from.
    private enum Event: Sendable {
        case stdout(Data)
        case stdoutClosed
        case stderr(Data)
        case stderrClosed
        case exited(status: Int32, signalled: Bool)
    }

    private var phase = Phase.stopped
    private var process: Process?
    private var input: FileHandle?
    private var generation = 0
    private var starts = 0
    private var nextID = 1
    private var lineBuffer: [UInt8] = []
    private var stderrTail: [UInt8] = []
    private var exitDescription: String?
    private var stdoutClosed = false
    private var stderrClosed = false
    private var timeoutTask: Task<Void, Never>?
    /// Feeds the current process's events to the consuming task; finished when the process is disowned.
    private var eventSink: AsyncStream<Event>.Continuation?
    /// Set once the analyzer used up its restarts: every later image is "not analyzed" with this reason at once.
    private var disabledReason: String?
    /// Callers waiting for the one-image-at-a-time turn, in arrival order.
    private var turnWaiters: [CheckedContinuation<Void, Never>] = []
    private var hasTurnHolder = false

    public init(_ command: AnalyzerCommand) {
        self.command = command
    }

    /// A caller that forgot `shutdown()` must not leave the analyzer running after Sluice is done with it.
    deinit {
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Analyzes one image; never throws: every failure becomes `.notAnalyzed` with the reason.
    public func analyze(_ request: AnalysisRequest) async -> AnalyzerOutcome {
        await takeTurn()
        defer { passTurn() }
        if let disabledReason { return .notAnalyzed(reason: disabledReason) }
        if process == nil, let failure = await start() {
            return .notAnalyzed(reason: failure)
        }
        guard let input else { return .notAnalyzed(reason: "analyzer \(command.name) is not running") }
        let id = nextID
        nextID += 1
        let currentGeneration = generation
        return await withCheckedContinuation { continuation in
            phase = .busy(id: id, continuation)
            do {
                try input.write(contentsOf: AnalyzerWireFormat.requestLine(id: id, request))
            } catch {
                fail("analyzer \(command.name) stopped reading its input (\(error.localizedDescription))")
                return
            }
            armTimeout(command.imageTimeout, generation: currentGeneration) { actor in
                await actor.fail("analyzer \(actor.command.name) gave no answer within \(actor.command.imageTimeout); restarted")
            }
        }
    }

    /// Closes the analyzer's input (it should exit at end of input), waits up to `grace`, then kills it.
    public func shutdown(grace: Duration = .seconds(2)) async {
        guard let process else { return }
        try? input?.close()
        input = nil
        let deadline = ContinuousClock.now + grace
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        disown()
    }

    /// How many times the process was started in this run (1 when it never died).
    public var startCount: Int { starts }

    // MARK: - Start and stop

    /// Starts the process and waits for its ready line; returns the reason when that fails.
    private func start() async -> String? {
        if starts > command.maximumRestarts {
            disabledReason = "analyzer \(command.name) is off for this run after \(command.maximumRestarts) restarts"
            return disabledReason
        }
        starts += 1
        generation += 1
        lineBuffer = []
        stderrTail = []
        exitDescription = nil
        stdoutClosed = false
        stderrClosed = false
        // A write to an analyzer that died must fail with EPIPE, not kill Sluice with SIGPIPE (process-wide, harmless:
        // Sluice checks every write).
        signal(SIGPIPE, SIG_IGN)

        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        child.arguments = ["--"] + command.arguments
        if let folder = command.workingDirectory { child.currentDirectoryURL = URL(fileURLWithPath: folder) }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        child.standardInput = stdin
        child.standardOutput = stdout
        child.standardError = stderr

        let (events, sink) = AsyncStream<Event>.makeStream()
        Self.forward(stdout.fileHandleForReading, to: sink, chunk: Event.stdout, closed: .stdoutClosed)
        Self.forward(stderr.fileHandleForReading, to: sink, chunk: Event.stderr, closed: .stderrClosed)
        child.terminationHandler = { finished in
            sink.yield(.exited(status: finished.terminationStatus, signalled: finished.terminationReason == .uncaughtSignal))
        }
        do {
            try child.run()
        } catch {
            stdout.fileHandleForReading.readabilityHandler = nil
            stderr.fileHandleForReading.readabilityHandler = nil
            return "analyzer \(command.name) could not start: \(error.localizedDescription)"
        }
        process = child
        input = stdin.fileHandleForWriting
        eventSink = sink
        let currentGeneration = generation
        Task { [weak self] in
            for await event in events { await self?.handle(event, generation: currentGeneration) }
        }
        return await withCheckedContinuation { continuation in
            phase = .starting(continuation)
            armTimeout(command.startupTimeout, generation: currentGeneration) { actor in
                await actor.fail("analyzer \(actor.command.name) was not ready within \(actor.command.startupTimeout)")
            }
        }
    }

    /// Feeds what arrives on `handle` into `sink` in order, then `closed` at end of file.
    private static func forward(
        _ handle: FileHandle, to sink: AsyncStream<Event>.Continuation, chunk: @escaping @Sendable (Data) -> Event,
        closed: Event
    ) {
        handle.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                sink.yield(closed)
            } else {
                sink.yield(chunk(data))
            }
        }
    }

    /// Ends the current request or start with `reason`, kills the process and forgets it; the next image restarts it.
    private func fail(_ reason: String) {
        let detail = stderrSummary().map { reason + "; its last error output: " + $0 } ?? reason
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
        disown()
        resolve(starting: detail, busy: .notAnalyzed(reason: detail))
    }

    /// Forgets the process: later events from its generation are ignored.
    private func disown() {
        timeoutTask?.cancel()
        timeoutTask = nil
        try? input?.close()
        input = nil
        process = nil
        eventSink?.finish()
        eventSink = nil
        generation += 1
    }

    /// Resumes whoever waits: a start with `starting` (nil for success), a request with `busy`.
    private func resolve(starting: String?, busy: AnalyzerOutcome) {
        timeoutTask?.cancel()
        timeoutTask = nil
        switch phase {
        case .starting(let continuation):
            phase = starting == nil ? .idle : .stopped
            continuation.resume(returning: starting)
        case .busy(_, let continuation):
            phase = process == nil ? .stopped : .idle
            continuation.resume(returning: busy)
        case .idle, .stopped:
            break
        }
    }

    private func armTimeout(_ limit: Duration, generation expected: Int, onExpiry: @escaping @Sendable (AnalyzerProcess) async -> Void) {
        timeoutTask?.cancel()
        timeoutTask = Task { [weak self] in
            try? await Task.sleep(for: limit)
            guard !Task.isCancelled, let self, await self.generation == expected else { return }
            await onExpiry(self)
        }
    }

    // MARK: - Events

    private func handle(_ event: Event, generation eventGeneration: Int) {
        guard eventGeneration == generation else { return }
        switch event {
        case .stdout(let data):
            lineBuffer.append(contentsOf: data)
            while let newline = lineBuffer.firstIndex(of: 0x0A) {
                let line = Array(lineBuffer[..<newline])
                lineBuffer.removeSubrange(...newline)
                receive(line: line)
                guard eventGeneration == generation else { return }
            }
            if lineBuffer.count > AnalyzerWireFormat.maximumLineBytes {
                fail("analyzer \(command.name) printed a line over \(AnalyzerWireFormat.maximumLineBytes) bytes; restarted")
            }
        case .stderr(let data):
            stderrTail.append(contentsOf: data)
            if stderrTail.count > 4096 { stderrTail.removeFirst(stderrTail.count - 4096) }
        case .stdoutClosed:
            stdoutClosed = true
            if exitDescription != nil && stderrClosed { died() }
        case .stderrClosed:
            stderrClosed = true
            if exitDescription != nil && stdoutClosed { died() }
        case .exited(let status, let signalled):
            exitDescription = signalled ? "was killed by signal \(status)" : "exited with status \(status)"
            // Answers and error lines written just before exiting may still be in the pipes: wait for both to end,
            // but not for ever (a helper process the analyzer started may hold them open).
            if stdoutClosed && stderrClosed {
                died()
            } else {
                let expected = generation
                Task { [weak self] in
                    try? await Task.sleep(for: .seconds(1))
                    await self?.diedAfterGrace(generation: expected)
                }
            }
        }
    }

    private func diedAfterGrace(generation expected: Int) {
        if expected == generation, process != nil { died() }
    }

    private func died() {
        let what = exitDescription ?? "exited"
        fail("analyzer \(command.name) \(what)")
    }

    private func receive(line: [UInt8]) {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { return }
        switch AnalyzerWireFormat.decode(line) {
        case .failure(let violation):
            fail("analyzer \(command.name) broke the protocol: \(violation); restarted")
        case .success(.ready):
            if case .starting = phase { resolve(starting: nil, busy: .notAnalyzed(reason: "")) }
        case .success(.answer(let id, let answer)):
            answered(id: id, .analyzed(answer))
        case .success(.failure(let id, let reason)):
            answered(id: id, .notAnalyzed(reason: "analyzer \(command.name): \(reason)"))
        }
    }

    private func answered(id: Int, _ outcome: AnalyzerOutcome) {
        guard case .busy(let expected, _) = phase, expected == id else {
            fail("analyzer \(command.name) answered request \(id), which was not asked; restarted")
            return
        }
        resolve(starting: nil, busy: outcome)
    }

    private func stderrSummary() -> String? {
        let lines = String(decoding: stderrTail, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let last = lines.last else { return nil }
        return String(last.prefix(300))
    }

    // MARK: - One image at a time

    private func takeTurn() async {
        if !hasTurnHolder {
            hasTurnHolder = true
            return
        }
        await withCheckedContinuation { turnWaiters.append($0) }
    }

    private func passTurn() {
        if turnWaiters.isEmpty {
            hasTurnHolder = false
        } else {
            turnWaiters.removeFirst().resume()
        }
    }
}
