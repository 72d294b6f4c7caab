namespace CallQueue.Tests.Deploy;

/// <summary>Files of the repository under test, found from the test build's output folder.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding CallQueueSystem.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>CallQueue.Api.dll in the Api's own build output (same configuration as the tests), as <c>dotnet</c> runs it.</summary>
    public static string ApiAssembly()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // …/bin/{Configuration}/net10.0
        var path = File("CallQueue.Api", "bin", configuration, "net10.0", "CallQueue.Api.dll");
        return System.IO.File.Exists(path) ? path : throw new FileNotFoundException($"Build CallQueue.Api first: {path} is missing.");
    }

    /// <summary>A new empty folder, deleted by the caller (<see cref="TemporaryDirectory"/>).</summary>
    public static TemporaryDirectory NewTemporaryDirectory(string prefix) => new(Directory.CreateTempSubdirectory(prefix).FullName);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !System.IO.File.Exists(Path.Combine(directory.FullName, "CallQueueSystem.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"CallQueueSystem.sln not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>A temporary folder that is deleted with everything in it on dispose.</summary>
public sealed class TemporaryDirectory(string path) : IDisposable
{
    public string Path { get; } = path;

    public string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Copies a file of the repository to the same relative place in this folder.</summary>
    public string CopyFromRepository(params string[] parts)
    {
        var target = File(parts);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        System.IO.File.Copy(RepositoryPaths.File(parts), target, overwrite: true);
        return target;
    }

    /// <summary>Writes a shell script and makes it executable (the script tests run on Linux only).</summary>
    public string WriteExecutable(string content, params string[] parts)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The deployment scripts are bash scripts: Linux only.");
        }

        var path = File(parts);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>The file's permission bits.</summary>
    public UnixFileMode ModeOf(params string[] parts) => OperatingSystem.IsWindows()
        ? throw new PlatformNotSupportedException("Unix file modes: Linux only.")
        : System.IO.File.GetUnixFileMode(File(parts));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process still holding a file: the OS cleans the temp folder eventually.
        }
    }
}
