import Foundation
import Jobs

extension JobFolder {
    /// A library job's drop: `source/<drop name>/`, so review folders and reports carry the name the user gave it.
    func libraryDrop(named dataset: String) -> URL {
        source.appendingPathComponent(dataset, isDirectory: true)
    }
}
