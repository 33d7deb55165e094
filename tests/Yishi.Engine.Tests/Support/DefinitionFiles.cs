using System.Runtime.CompilerServices;

namespace Yishi.Engine.Tests.Support;

/// <summary>
/// Golden files, copied next to the test assembly from <c>Definitions/</c>. Run with <c>YISHI_UPDATE_GOLDEN=1</c>
/// to rewrite expected outputs in the source tree after a deliberate change, then review the diff.
/// </summary>
public static class DefinitionFiles
{
    public static string PathOf(string fileName) => Path.Combine(AppContext.BaseDirectory, "Definitions", fileName);

    public static string Read(string fileName) => File.ReadAllText(PathOf(fileName));

    /// <summary>Asserts that <paramref name="actual"/> equals the golden file, line by line.</summary>
    public static void AssertMatches(string fileName, IReadOnlyList<string> actual)
    {
        if (Environment.GetEnvironmentVariable("YISHI_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(SourceFolder(), "Definitions", fileName), string.Join("\n", actual) + "\n");
            return;
        }

        var expected = Read(fileName).ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(expected, actual);
    }

    private static string SourceFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(Path.GetDirectoryName(path)!)!;
}
