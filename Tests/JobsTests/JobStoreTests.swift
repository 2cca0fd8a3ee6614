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
    #expect(job.id == Timestamp.fileStamp(now) + "-my_set")
    #expect(try store.resolve("my set").id == job.id)
    #expect(store.newID(dataset: "my set", now: now) == Timestamp.fileStamp(now) + "-my_set-2")
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

@Test func anAmbiguousNameListsTheMatchingIDs() throws {
    let state = try temporaryStateDirectory()
    defer { try? FileManager.default.removeItem(at: state) }
    let store = JobStore(stateDirectory: state)
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    var ids: [String] = []
    for offset in [0.0, 60] {
        let job = Job(id: store.newID(dataset: "mika", now: now + offset), dataset: "mika", origin: "inbox/mika",
                      plan: .dataset(autotag: false), configSnapshot: "{}", now: now + offset)
        try store.save(job)
        ids.append(job.id)
    }
    #expect(throws: JobStore.Failure.self) { try store.resolve("mika") }
    do {
        _ = try store.resolve("mika")
    } catch {
        let message = "\(error)"
        #expect(message.contains("ambiguous"))
        for id in ids { #expect(message.contains(id), "the message lists \(id): \(message)") }
    }
    #expect(try store.resolve(ids[1]).id == ids[1], "an exact id still resolves")
}

@Test(arguments: ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"])
func fileStampsAndJSONDatesFollowOneTimeZoneRule(_ zoneName: String) throws {
    let zone = try #require(TimeZone(identifier: zoneName))
    let moment = Date(timeIntervalSince1970: 1_764_619_445)  // 2025-12-01 20:04:05 UTC
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: moment)
    let expected = String(format: "%04d%02d%02d-%02d%02d%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
    #expect(Timestamp.fileStamp(moment, timeZone: zone) == expected)
    let json = Timestamp.iso8601(moment, timeZone: zone)
    #expect(Timestamp.parseISO8601(json) == moment, "\(json) reads back as the same moment")
    let hour = String(format: "%02d", parts.hour!)
    #expect(json.contains("T\(hour):"), "the JSON shows the same wall-clock hour as the file name: \(json)")
    #expect(Timestamp.parseISO8601("2025-12-01T20:04:05Z") == moment, "UTC dates written before the rule still read")
}
