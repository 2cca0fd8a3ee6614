/// The files Sluice keeps in a dataset's review folder (`review/<name>/`), named once for the engine and `sluice review`.
public enum ReviewFolderFiles {
    /// Touched (by hand, or by `sluice review` once every image is decided) to approve the review.
    public static let resumeMarker = "RESUME"
    /// Holds the id of the job the folder belongs to.
    public static let jobTag = ".sluice-job"
    public static let report = "REVIEW.md"
}
