import Foundation
import Jobs
import Testing

private func temporaryStateDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("jobs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Test func savedJobReadsBackEqual() throws {
    let state = try temporaryStateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let store = JobStore(stateDirectory: state)
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    var job = Job(id: store.newID(dataset: "my set", now: now), dataset: "my set", origin: "inbox/my set",
                  plan: .dataset(autotag: false), configSnapshot: "{}", now: now)
    job.record(.info, "adopted", at: now)
    try store.save(job)
    #expect(try store.load(job.id) == job)
    #expect(job.id == "20231114-221320-my_set")
    #expect(try store.resolve("my set").id == job.id)
    #expect(store.newID(dataset: "my set", now: now) == "20231114-221320-my_set-2")
    let text = try String(contentsOf: store.folder(of: job.id).appendingPathComponent("job.json"), encoding: .utf8)
    #expect(text.contains("\"schema_version\" : 1"))
}

@Test func newerSchemaIsRefusedWithAClearMessage() throws {
    let state = try temporaryStateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let store = JobStore(stateDirectory: state)
    let folder = store.folder(of: "future")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try #"{"schema_version": 99}"#.write(to: folder.appendingPathComponent("job.json"), atomically: true, encoding: .utf8)
    let (jobs, problems) = try store.all()
    #expect(jobs.isEmpty)
    #expect(problems.count == 1)
    #expect("\(problems[0])".contains("schema version 99"))
}

@Test func controlRequestsComeBackInOrderAndAreConsumed() throws {
    let state = try temporaryStateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let queue = ControlQueue(stateDirectory: state)
    try queue.submit(ControlRequest(jobID: "a", action: .pause, requestedAt: Date(timeIntervalSince1970: 10), origin: "cli"))
    try queue.submit(ControlRequest(jobID: "a", action: .resume, requestedAt: Date(timeIntervalSince1970: 20), origin: "cli"))
    let pending = queue.pending()
    #expect(pending.map(\.request.action) == [.pause, .resume])
    queue.consume(pending[0].file)
    #expect(queue.pending().map(\.request.action) == [.resume])
}
