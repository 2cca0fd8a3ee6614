/// Raw tokens already read, keyed by their bytes: an open-addressing hash table with FNV-1a hashes. Far cheaper
/// per lookup than a `Dictionary` keyed by `Substring`, whose hash normalizes Unicode; caption tokens repeat a
/// lot, so this lookup is the engine's hottest path.
struct TokenTable<Value> {
    /// One stored token: its hash, where its bytes sit in `arena`, and its value, together for one cache line.
    private struct Entry {
        var hash: UInt64
        var start: Int32
        var length: Int32
        var value: Value
    }

    /// Per slot: 1 + the entry's index, or 0 when empty.
    private var slots: [Int32] = Array(repeating: 0, count: 1024)
    private var entries: [Entry] = []
    private var arena: [UInt8] = []

    /// The value stored for these bytes, if any.
    func value(for bytes: UnsafeBufferPointer<UInt8>) -> Value? {
        let hash = Self.hash(bytes)
        return slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                arena.withUnsafeBufferPointer { arena in
                    let mask = slots.count - 1
                    var slot = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let index = Int(slots[slot]) - 1
                        if index < 0 { return nil }
                        let entry = entries[index]
                        if entry.hash == hash, Int(entry.length) == bytes.count,
                            memcmpEqual(arena.baseAddress! + Int(entry.start), bytes.baseAddress, bytes.count)
                        {
                            return entry.value
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    /// Stores a value for bytes not stored yet.
    mutating func insert(_ value: Value, for bytes: UnsafeBufferPointer<UInt8>) {
        if (entries.count + 1) * 2 > slots.count { grow() }
        let hash = Self.hash(bytes)
        entries.append(Entry(hash: hash, start: Int32(arena.count), length: Int32(bytes.count), value: value))
        arena.append(contentsOf: bytes)
        place(entries.count - 1, hash: hash)
    }

    private mutating func place(_ index: Int, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(index + 1)
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        for index in entries.indices { place(index, hash: entries[index].hash) }
    }

    /// FNV-1a, then a final mix so the low bits (the slot) depend on every byte.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        hash ^= hash >> 33
        hash &*= 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        return hash
    }
}

/// Whether `count` bytes at two addresses are equal.
private func memcmpEqual(_ first: UnsafePointer<UInt8>, _ second: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
    guard count > 0, let second else { return true }
    for offset in 0..<count where first[offset] != second[offset] { return false }
    return true
}
