using System.Text;
using NeuralStyle.Core.Imaging;

namespace NeuralStyle.Core.Tests.Imaging;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Action<Stream> Text(string s) => stream => stream.Write(Encoding.UTF8.GetBytes(s));

    [Fact]
    public void Writes_Content_AndLeavesNoTemp()
    {
        string path = _dir.File("a.txt");
        AtomicFile.Write(path, Text("hello"), overwrite: false);
        Assert.Equal("hello", File.ReadAllText(path));
        Assert.Equal(["a.txt"], _dir.Entries());
    }

    [Fact]
    public void ExistingTarget_WithoutOverwrite_Throws_AndOriginalUntouched()
    {
        string path = _dir.File("a.txt");
        File.WriteAllText(path, "original");
        bool called = false;
        var e = Assert.Throws<OutputExistsException>(() => AtomicFile.Write(path, s => { called = true; Text("new")(s); }, overwrite: false));
        Assert.Equal(Path.GetFullPath(path), e.Path);
        Assert.False(called); // checked before any work is done
        Assert.Equal("original", File.ReadAllText(path));
        Assert.Equal(["a.txt"], _dir.Entries());
    }

    [Fact]
    public void TargetAppearingDuringWrite_IsNotClobbered()
    {
        string path = _dir.File("race.txt");
        // Another writer creates the file while we are writing ours: the move must refuse, not replace it.
        var e = Assert.Throws<OutputExistsException>(() =>
            AtomicFile.Write(path, s => { File.WriteAllText(path, "theirs"); Text("ours")(s); }, overwrite: false));
        Assert.Equal("theirs", File.ReadAllText(path));
        Assert.Equal(["race.txt"], _dir.Entries());
    }

    [Fact]
    public void ExistingTarget_WithOverwrite_IsReplaced()
    {
        string path = _dir.File("a.txt");
        File.WriteAllText(path, "original");
        AtomicFile.Write(path, Text("new"), overwrite: true);
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(["a.txt"], _dir.Entries());
    }

    [Fact]
    public void PreCancelled_Throws_NoTargetNoTemp()
    {
        string path = _dir.File("a.txt");
        Assert.ThrowsAny<OperationCanceledException>(() => AtomicFile.Write(path, Text("x"), overwrite: false, new CancellationToken(true)));
        Assert.Empty(_dir.Entries());
    }

    [Fact]
    public void CancelledDuringWrite_Throws_NoTargetNoTemp_OriginalKept()
    {
        string path = _dir.File("a.txt");
        File.WriteAllText(path, "original");
        using var cts = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            AtomicFile.Write(path, s => { Text("partial")(s); cts.Cancel(); }, overwrite: true, cts.Token));
        Assert.Equal("original", File.ReadAllText(path));
        Assert.Equal(["a.txt"], _dir.Entries());
    }

    [Fact]
    public void ExceptionInWriter_Propagates_NoTargetNoTemp()
    {
        string path = _dir.File("a.txt");
        var e = Assert.Throws<InvalidOperationException>(() =>
            AtomicFile.Write(path, s => { Text("half")(s); throw new InvalidOperationException("boom"); }, overwrite: false));
        Assert.Equal("boom", e.Message);
        Assert.Empty(_dir.Entries());
    }

    [Fact]
    public void TempFile_IsHiddenAndInSameFolder()
    {
        string path = _dir.File("a.txt");
        string[]? during = null;
        AtomicFile.Write(path, s => { during = _dir.Entries(); Text("x")(s); }, overwrite: false);
        string temp = Assert.Single(during!);
        Assert.StartsWith(".a.txt.", temp);
        Assert.EndsWith(".tmp", temp);
    }

    [Fact]
    public void LongFileName_StillWorks()
    {
        string name = new string('n', 250) + ".txt"; // near the 255-character limit: the temp name must not exceed it
        string path = _dir.File(name);
        AtomicFile.Write(path, Text("long"), overwrite: false);
        Assert.Equal("long", File.ReadAllText(path));
        Assert.Equal([name], _dir.Entries());
    }

    [Fact]
    public void MissingFolder_IsDirectoryNotFound_AndNotCreated()
    {
        string folder = _dir.File("no-such-folder");
        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.Write(Path.Combine(folder, "a.txt"), Text("x"), overwrite: false));
        Assert.False(Directory.Exists(folder));
    }
}
