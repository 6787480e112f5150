using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Xml.Linq;
using NeuralStyle.Core.Models;

namespace NeuralStyle.Core.Runtime;

/// <summary>What to install.</summary>
/// <param name="Source">A NuGet v3 service index URL or a folder of packages.</param>
/// <param name="Force">Install again even when the runtime is there.</param>
public sealed record RuntimeInstallRequest(RuntimeBackend Backend, RuntimeScope Scope, string Source, bool Force = false)
{
    public string Rid { get; init; } = RuntimePlatform.CurrentRid;

    /// <summary>The folder the runtime goes to.</summary>
    public string Directory => RuntimeLocations.DirectoryOf(Scope, Backend, Rid);
}

/// <summary>How far an installation is: which package (of those known so far) and its bytes.</summary>
public readonly record struct RuntimeInstallProgress(string Activity, PackageIdentity Package, int PackageNumber, int PackagesKnown, DownloadProgress Download);

/// <summary>
/// Installs the native libtorch runtime that matches the engine's TorchSharp: the glue library from the
/// TorchSharp package and libtorch from libtorch-cpu-&lt;rid&gt; or libtorch-cuda-&lt;cuda&gt;-&lt;rid&gt;, whose
/// dependencies (the CUDA bundle's part packages) are followed. Each package is downloaded into
/// &lt;runtime&gt;.partial/downloads (resumable), checked against the source's SHA-512, and its
/// runtimes/&lt;rid&gt;/native files unpacked; files split over parts (a primary with &lt;file&gt;.sha and
/// fragments/&lt;rid&gt;/native/&lt;file&gt;.fragmentN in other packages) are joined in order and checked against
/// that SHA-256. The ResNet-18 model comes with every runtime (<see cref="ModelPackage"/>). Only then is the folder renamed into place with its runtime.json, so a half-made
/// runtime is never found.
/// </summary>
public sealed class RuntimeInstaller : IDisposable
{
    public const string DefaultSource = "https://api.nuget.org/v3/index.json";
    private const string PartialSuffix = ".partial";
    private const int AttemptsPerPackage = 3;

    private readonly HttpClient http;
    private readonly bool ownsClient;

    public RuntimeInstaller(HttpClient? httpClient = null)
    {
        ownsClient = httpClient is null;
        http = httpClient ?? new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.All }) { Timeout = TimeSpan.FromMinutes(10) };
    }

    /// <summary>
    /// The package that carries the ImageNet ResNet-18 the module uses (ONNX, 64 MB): the gallery package leaves
    /// it out to stay small, so every runtime brings it, into <see cref="RuntimeLocations.ModelFolder"/>.
    /// </summary>
    public static PackageIdentity ModelPackage { get; } = new("Microsoft.ML.DnnImageFeaturizer.ResNet18", RuntimeVersions.ResNet18Featurizer);

    /// <summary>The model's entry in <see cref="ModelPackage"/>.</summary>
    private const string ModelEntry = "tools/DnnImageModels/ResNet18Onnx/" + RuntimeLocations.ModelFileName;

    /// <summary>The packages a runtime starts from; their libtorch-* dependencies are followed.</summary>
    public static IReadOnlyList<PackageIdentity> RootPackages(RuntimeBackend backend, string rid)
    {
        var glue = new PackageIdentity("TorchSharp", RuntimeVersions.TorchSharp);
        if (backend == RuntimeBackend.Cpu)
        {
            return rid is "linux-x64" or "win-x64" or "win-arm64" or "osx-arm64"
                ? [glue, new PackageIdentity($"libtorch-cpu-{rid}", RuntimeVersions.LibTorch), ModelPackage]
                : throw Unsupported(backend, rid, "linux-x64, win-x64, win-arm64 and osx-arm64");
        }
        return rid is "linux-x64" or "win-x64"
            ? [glue, new PackageIdentity($"libtorch-cuda-{RuntimeVersions.Cuda}-{rid}", RuntimeVersions.LibTorch), ModelPackage]
            : throw Unsupported(backend, rid, "linux-x64 and win-x64");
    }

    /// <summary>Installs (or returns the runtime already there, unless <see cref="RuntimeInstallRequest.Force"/>).</summary>
    public async Task<InstalledRuntime> InstallAsync(RuntimeInstallRequest request, IProgress<RuntimeInstallProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var roots = RootPackages(request.Backend, request.Rid);
        var target = request.Directory;
        if (!request.Force && InstalledRuntime.TryRead(target, request.Scope) is { IsComplete: true } existing)
        {
            return existing;
        }
        var staging = target + PartialSuffix;
        var downloads = Path.Combine(staging, "downloads");
        var files = Path.Combine(staging, "files");
        CreateWritable(downloads, request.Scope);
        var source = PackageSource.Open(request.Source, http);

        var queue = new Queue<PackageIdentity>(roots);
        var known = new HashSet<PackageIdentity>(roots);
        var fetched = new List<(PackageIdentity Package, string Path, string Sha512)>();
        while (queue.TryDequeue(out var package))
        {
            var number = fetched.Count + 1;
            var report = progress is null ? null : new Progress(d => progress.Report(new RuntimeInstallProgress("Downloading", package, number, known.Count, d)));
            var (path, sha) = await FetchVerifiedAsync(source, package, downloads, report, cancellationToken).ConfigureAwait(false);
            fetched.Add((package, path, sha));
            foreach (var dependency in LibTorchDependencies(path))
            {
                if (known.Add(dependency))
                {
                    queue.Enqueue(dependency);
                }
            }
        }

        if (System.IO.Directory.Exists(files))
        {
            System.IO.Directory.Delete(files, recursive: true);
        }
        System.IO.Directory.CreateDirectory(files);
        var fragments = new List<(string Package, string Entry, string File, int Number)>();
        foreach (var ((package, path, _), index) in fetched.Select((f, i) => (f, i)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new RuntimeInstallProgress("Unpacking", package, index + 1, fetched.Count, default));
            Unpack(path, request.Rid, files, fragments);
        }
        Stitch(files, fragments);
        if (!File.Exists(Path.Combine(files, RuntimeLocations.ModelFolder, RuntimeLocations.ModelFileName)))
        {
            throw new RuntimeInstallException(RuntimeInstallFailure.PackageNotFound,
                $"The package {ModelPackage} from {source.Description} has no {ModelEntry}; it is not the package the module's ResNet-18 comes from. Use another -Source.", ModelPackage.Id);
        }
        if (request.Rid.StartsWith("linux-", StringComparison.Ordinal) && LibStdCxxCompatibility.SystemLacksRequiredVersion()
            && File.Exists(Path.Combine(files, "libLibTorchSharp.so")))
        {
            LibStdCxxCompatibility.MarkVersionNeedWeak(Path.Combine(files, "libLibTorchSharp.so"));
        }

        var runtime = new InstalledRuntime(request.Backend, request.Rid, RuntimeVersions.TorchSharp, RuntimeVersions.LibTorch, source.Description,
            DateTimeOffset.UtcNow, new DirectoryInfo(files).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length),
            [.. fetched.Select(f => new RuntimePackage(f.Package.Id, f.Package.Version, f.Sha512))]);
        runtime.Write(files);
        if (System.IO.Directory.Exists(target))
        {
            System.IO.Directory.Delete(target, recursive: true);
        }
        System.IO.Directory.Move(files, target);
        System.IO.Directory.Delete(staging, recursive: true);
        return runtime with { Directory = target, Scope = request.Scope };
    }

    public void Dispose()
    {
        if (ownsClient)
        {
            http.Dispose();
        }
    }

    /// <summary>The package in the downloads folder, checked; resumes a partial and retries a cut transfer.</summary>
    private static async Task<(string Path, string Sha512)> FetchVerifiedAsync(PackageSource source, PackageIdentity package, string downloads,
        IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var expected = await source.GetSha512Async(package, cancellationToken).ConfigureAwait(false);
        var path = Path.Combine(downloads, package.FileName);
        if (File.Exists(path) && await Sha512Async(path, cancellationToken).ConfigureAwait(false) == expected)
        {
            return (path, expected);
        }
        var partial = path + PartialSuffix;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await source.FetchAsync(package, partial, progress, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (RuntimeInstallException e) when (e.Failure == RuntimeInstallFailure.Interrupted && attempt < AttemptsPerPackage)
            {
                // The next attempt continues the partial file with a Range request.
            }
        }
        var actual = await Sha512Async(partial, cancellationToken).ConfigureAwait(false);
        if (actual != expected)
        {
            File.Delete(partial);
            throw new RuntimeInstallException(RuntimeInstallFailure.PackageHashMismatch,
                $"The package {package} from {source.Description} has SHA-512 {actual}, but the source publishes {expected}; it was deleted. " +
                "The transfer was damaged or the source serves a different file. Run the command again; if it fails again, use another -Source.", package.Id);
        }
        File.Move(partial, path, overwrite: true);
        return (path, actual);
    }

    /// <summary>The nuspec's dependencies that are libtorch packages (a CUDA head's parts), at the versions it names.</summary>
    private static IEnumerable<PackageIdentity> LibTorchDependencies(string nupkg)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        var nuspec = zip.Entries.FirstOrDefault(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidDataException($"'{nupkg}' has no .nuspec.");
        XDocument document;
        using (var stream = nuspec.Open())
        {
            document = XDocument.Load(stream);
        }
        return document.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => new PackageIdentity((string?)e.Attribute("id") ?? "", ((string?)e.Attribute("version") ?? "").Trim('[', ']', '(', ')', ' ').Split(',')[0]))
            .Where(p => p.Id.StartsWith("libtorch-", StringComparison.OrdinalIgnoreCase) && p.Version.Length > 0)
            .Distinct().ToList();
    }

    /// <summary>
    /// Copies runtimes/&lt;rid&gt;/native/* into <paramref name="files"/> (and the model into its models/), and lists
    /// fragments/&lt;rid&gt;/native/*.fragmentN.
    /// </summary>
    private static void Unpack(string nupkg, string rid, string files, List<(string Package, string Entry, string File, int Number)> fragments)
    {
        var natives = $"runtimes/{rid}/native/";
        var parts = $"fragments/{rid}/native/";
        using var zip = ZipFile.OpenRead(nupkg);
        foreach (var entry in zip.Entries)
        {
            var name = Uri.UnescapeDataString(entry.FullName);
            if (name.StartsWith(natives, StringComparison.Ordinal) && name.Length > natives.Length && !name[natives.Length..].Contains('/'))
            {
                entry.ExtractToFile(Path.Combine(files, name[natives.Length..]), overwrite: true);
            }
            else if (name == ModelEntry)
            {
                var models = System.IO.Directory.CreateDirectory(Path.Combine(files, RuntimeLocations.ModelFolder));
                entry.ExtractToFile(Path.Combine(models.FullName, RuntimeLocations.ModelFileName), overwrite: true);
            }
            else if (name.StartsWith(parts, StringComparison.Ordinal) && name[parts.Length..] is var fragment && !fragment.Contains('/'))
            {
                var dot = fragment.LastIndexOf(".fragment", StringComparison.Ordinal);
                if (dot > 0 && int.TryParse(fragment[(dot + ".fragment".Length)..], out var number))
                {
                    fragments.Add((nupkg, entry.FullName, fragment[..dot], number));
                }
            }
        }
    }

    /// <summary>Appends each split file's fragments to its primary part, in order, and checks the SHA-256 its primary records.</summary>
    private static void Stitch(string files, List<(string Package, string Entry, string File, int Number)> fragments)
    {
        foreach (var checksum in System.IO.Directory.GetFiles(files, "*.sha"))
        {
            var primary = checksum[..^".sha".Length];
            var name = Path.GetFileName(primary);
            var parts = fragments.Where(f => f.File == name).OrderBy(f => f.Number).ToList();
            using (var output = new FileStream(primary, FileMode.Append, FileAccess.Write))
            {
                foreach (var part in parts)
                {
                    using var zip = ZipFile.OpenRead(part.Package);
                    using var input = zip.GetEntry(part.Entry)!.Open();
                    input.CopyTo(output);
                }
            }
            var expected = File.ReadAllText(checksum).Trim().ToLowerInvariant();
            string actual;
            using (var stream = File.OpenRead(primary))
            {
                actual = Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
            }
            var numbers = parts.Select(p => p.Number).ToList();
            if (actual != expected)
            {
                throw new RuntimeInstallException(RuntimeInstallFailure.FileChecksumMismatch,
                    $"'{name}', joined from its primary part and {parts.Count} fragment(s) [{string.Join(", ", numbers)}], has SHA-256 {actual}, but its primary package records {expected}. " +
                    "A part is missing or damaged; run the command again with -Force, or use another -Source.", name);
            }
            File.Delete(checksum);
        }
        var orphans = fragments.Select(f => f.File).Distinct().Where(f => !File.Exists(Path.Combine(files, f))).ToList();
        if (orphans.Count > 0)
        {
            throw new RuntimeInstallException(RuntimeInstallFailure.PackageNotFound,
                $"Fragments of {string.Join(", ", orphans)} arrived without their primary part; the runtime's head package does not list it.", orphans[0]);
        }
    }

    private static void CreateWritable(string directory, RuntimeScope scope)
    {
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var hint = scope == RuntimeScope.AllUsers
                ? "Run PowerShell as administrator (sudo on Linux/macOS) for -Scope AllUsers, or install for yourself with -Scope CurrentUser."
                : $"Make it writable, or set {RuntimeLocations.RootVariable} to a folder you can write.";
            throw new RuntimeInstallException(RuntimeInstallFailure.FolderNotWritable,
                $"The runtime folder '{directory}' cannot be written ({e.Message}). {hint}", directory, e);
        }
    }

    private static async Task<string> Sha512Async(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            return Convert.ToBase64String(await SHA512.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }
    }

    private static RuntimeInstallException Unsupported(RuntimeBackend backend, string rid, string supported) => new(RuntimeInstallFailure.UnsupportedPlatform,
        $"TorchSharp {RuntimeVersions.TorchSharp} publishes no {backend} runtime for {rid}; it has one for {supported}." +
        (backend == RuntimeBackend.Cuda ? " Use -Backend Cpu here." : ""), rid);

    private sealed class Progress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
