namespace Yishi.Benchmarks;

/// <summary>
/// A fresh temp folder per measurement, deleted afterwards, so that no round reads a database file (or its WAL)
/// grown by an earlier one.
/// </summary>
internal sealed class ScratchFolder : IDisposable
{
    private ScratchFolder(string path) => Path = path;

    public string Path { get; }

    public static ScratchFolder Create()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"yishi-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return new ScratchFolder(path);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
