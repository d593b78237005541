using System.Globalization;
using Microsoft.Win32.SafeHandles;
using WorkflowEngine.Daytona.Local.Isolation;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local;

/// <summary>
/// Files in local sandboxes, handled on the host under the workspace folder. Every path is confined by
/// <see cref="WorkspacePaths"/>; files and folders are then opened or created with openat2 beneath the workspace
/// (<see cref="BeneathOpen"/>), so that a link swapped in by sandboxed code cannot redirect a read, a write or even
/// the creation of an empty file outside it, and opened files are checked again through <c>/proc/self/fd</c>.
/// Listing, deleting and moving act on folders opened that way (entries read, unlinkat and renameat2 through their descriptors), never
/// on host paths after the check, so the host process cannot be steered into listing, deleting or moving outside.
/// </summary>
internal sealed class LocalSandboxFileSystem(LocalRuntime runtime) : ISandboxFileSystem
{
    private const int ENoent = 2;
    private const int EExist = 17;
    private const int ENotEmpty = 39;

    public ValueTask<SandboxResult<IReadOnlyList<FileEntry>>> ListAsync(string sandbox, string path, CancellationToken cancellationToken = default)
    {
        var resolved = Resolve(sandbox, string.IsNullOrWhiteSpace(path) ? WorkspacePaths.Root : path);
        if (!resolved.Succeeded)
        {
            return Result<IReadOnlyList<FileEntry>>(resolved.Error);
        }

        var (host, inside, workspace) = resolved.Value;

        // Read the entries of the folder the kernel opened beneath the workspace: a folder on the path swapped for a
        // link meanwhile makes the open fail instead of listing (as root) whatever the link leads to.
        using var folder = BeneathOpen.OpenDirectory(workspace, host, out var failure, out var errno);
        if (failure == BeneathFailure.Unsupported)
        {
            return Result(ListByPath(workspace, host, inside));
        }

        if (folder is null)
        {
            if (failure != BeneathFailure.NotFound)
            {
                return Result<IReadOnlyList<FileEntry>>(OpenFailure(failure, errno, "list", inside));
            }

            using var other = BeneathOpen.OpenPath(workspace, host, out _, out _);
            return Result<IReadOnlyList<FileEntry>>(new SandboxError(SandboxErrorKind.NotFound, other is not null ? $"'{inside}' is a file, not a folder." : $"Folder '{inside}' does not exist."));
        }

        var prefix = inside.TrimEnd('/') + "/";
        IReadOnlyList<FileEntry> listed = BeneathOpen.Names(folder)
            .Order(StringComparer.Ordinal)
            .Select(name => DescribeAt(workspace, folder, name, prefix + name))
            .OfType<FileEntry>()
            .ToList();
        return Result(SandboxResult<IReadOnlyList<FileEntry>>.Ok(listed));
    }

    /// <summary>Lists by path, only where openat2 is missing.</summary>
    private static SandboxResult<IReadOnlyList<FileEntry>> ListByPath(string workspace, string host, string inside)
    {
        if (!Directory.Exists(host))
        {
            return new SandboxError(SandboxErrorKind.NotFound, File.Exists(host) ? $"'{inside}' is a file, not a folder." : $"Folder '{inside}' does not exist.");
        }

        IReadOnlyList<FileEntry> entries = new DirectoryInfo(host).EnumerateFileSystemInfos()
            .OrderBy(i => i.Name, StringComparer.Ordinal)
            .Select(i => DescribeEntry(workspace, i, inside.TrimEnd('/') + "/" + i.Name))
            .ToList();
        return SandboxResult<IReadOnlyList<FileEntry>>.Ok(entries);
    }

    public ValueTask<SandboxResult<FileEntry>> InfoAsync(string sandbox, string path, CancellationToken cancellationToken = default)
    {
        var resolved = Resolve(sandbox, path);
        if (!resolved.Succeeded)
        {
            return Result<FileEntry>(resolved.Error);
        }

        var (host, inside, workspace) = resolved.Value;

        // Describe what the kernel opened beneath the workspace, not whatever the path leads to a moment later.
        using (var handle = BeneathOpen.OpenPath(workspace, host, out var failure, out var errno))
        {
            if (failure != BeneathFailure.Unsupported)
            {
                return handle is not null
                    ? Result(SandboxResult<FileEntry>.Ok(DescribeOpened(handle, host, inside)))
                    : Result<FileEntry>(failure == BeneathFailure.NotFound
                        ? new SandboxError(SandboxErrorKind.NotFound, $"'{inside}' does not exist.")
                        : OpenFailure(failure, errno, "describe", inside));
            }
        }

        FileSystemInfo info = Directory.Exists(host) ? new DirectoryInfo(host) : new FileInfo(host);
        return info.Exists
            ? Result(SandboxResult<FileEntry>.Ok(Describe(info, inside)))
            : Result<FileEntry>(new SandboxError(SandboxErrorKind.NotFound, $"'{inside}' does not exist."));
    }

    public async ValueTask<SandboxResult<byte[]>> ReadAsync(string sandbox, string path, CancellationToken cancellationToken = default)
    {
        var opened = OpenRead(sandbox, path);
        if (!opened.Succeeded)
        {
            return opened.Error;
        }

        await using var stream = opened.Value.Stream;
        if (stream.Length > runtime.Options.MaxReadBytes)
        {
            return SandboxResult<byte[]>.Fail(SandboxErrorKind.LimitExceeded,
                $"'{opened.Value.Path}' is {stream.Length} bytes, over the read limit of {runtime.Options.MaxReadBytes} bytes; download it instead.");
        }

        var buffer = new MemoryStream((int)stream.Length);
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    public async ValueTask<SandboxResult<FileEntry>> WriteAsync(string sandbox, string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        if (content.Length > runtime.Options.MaxWriteBytes)
        {
            return SandboxResult<FileEntry>.Fail(SandboxErrorKind.LimitExceeded, $"The content is {content.Length} bytes, over the write limit of {runtime.Options.MaxWriteBytes} bytes.");
        }

        using var stream = new MemoryStream(content.ToArray(), writable: false);
        return await UploadAsync(sandbox, path, stream, cancellationToken);
    }

    public async ValueTask<SandboxResult<FileEntry>> UploadAsync(string sandbox, string path, Stream content, CancellationToken cancellationToken = default)
    {
        var resolved = Resolve(sandbox, path);
        if (!resolved.Succeeded)
        {
            return resolved.Error;
        }

        var (host, inside, workspace) = resolved.Value;
        if (Directory.Exists(host))
        {
            return SandboxResult<FileEntry>.Fail(SandboxErrorKind.Conflict, $"'{inside}' is a folder; give a file path.");
        }

        var parent = EnsureDirectory(workspace, Path.GetDirectoryName(host)!);
        if (!parent.Succeeded)
        {
            return parent.Error;
        }

        var folder = OpenFolder(workspace, Path.GetDirectoryName(host)!, inside);
        if (!folder.Succeeded)
        {
            return folder.Error;
        }

        using var directory = folder.Value;
        var name = Path.GetFileName(host);

        // Refuse what the path does not name as a regular file now (a link or FIFO swapped in, a folder), as before.
        var previous = Native.WithFd(directory, fd => Native.Statx(fd, name, Native.AtSymlinkNoFollow));
        var previousType = previous?.Mode & 0xF000;
        if (previousType == 0x4000)
        {
            return SandboxResult<FileEntry>.Fail(SandboxErrorKind.Conflict, $"'{inside}' is a folder; give a file path.");
        }

        if (previousType is { } type && type != 0x8000)
        {
            return OpenFailure(type == 0xA000 ? BeneathFailure.SymbolicLink : BeneathFailure.NotRegular, 0, "write", inside);
        }

        // Written beside under a fresh name, root-only until complete, and renamed over the target only then: a stream
        // that fails, a cancellation or the write limit leaves the previous file as it was and no partial one.
        var temporary = ".wfe-upload-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        var handle = BeneathOpen.CreateExclusive(directory, temporary, out var errno);
        if (handle is null)
        {
            return OpenFailure(BeneathFailure.Other, errno, "write", inside);
        }

        var committed = false;
        try
        {
            // Unbuffered, so that a write the disk quota refuses fails here and not again in a later flush.
            await using var stream = new FileStream(handle, FileAccess.Write, bufferSize: 0);
            var buffer = new byte[81920];
            long total = 0;
            int read;
            try
            {
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                    if (total > runtime.Options.MaxWriteBytes)
                    {
                        return SandboxResult<FileEntry>.Fail(SandboxErrorKind.LimitExceeded, $"The content is over the write limit of {runtime.Options.MaxWriteBytes} bytes.");
                    }

                    await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await stream.FlushAsync(cancellationToken);
            }
            catch (IOException ex) when (ex.HResult is Native.ENoSpace or Native.EQuota)
            {
                // The temporary file goes below; the previous file, if any, is untouched.
                return SandboxResult<FileEntry>.Fail(SandboxErrorKind.LimitExceeded, DiskFull(sandbox));
            }

            // Owner and mode through the descriptor (the mode after the owner, which clears set-id bits): the sandbox's
            // file, keeping the permissions of the file it replaces.
            if (runtime.Uid >= 0)
            {
                BeneathOpen.Chown(handle, runtime.Uid, runtime.Uid);
            }

            File.SetUnixFileMode(handle, (UnixFileMode)(previous is { } replaced ? replaced.Mode & 0x1FF : 0b110_100_100));
            var renamed = BeneathOpen.ReplaceAt(directory, temporary, name);
            if (renamed != 0)
            {
                return renamed is EExist or ENotEmpty or 21 /* EISDIR */
                    ? SandboxResult<FileEntry>.Fail(SandboxErrorKind.Conflict, $"'{inside}' became a folder while it was being written; give a file path.")
                    : OpenFailure(BeneathFailure.Other, renamed, "write", inside);
            }

            committed = true;
            return DescribeOpened(handle, host, inside);
        }
        finally
        {
            if (!committed)
            {
                BeneathOpen.RemoveFileAt(directory, temporary);
            }
        }
    }

    /// <summary>
    /// Opens the folder <paramref name="hostDirectory"/> beneath the workspace to act in through its descriptor; where openat2
    /// is missing, by path without following a final link, checked through <c>/proc/self/fd</c>.
    /// </summary>
    private static SandboxResult<SafeFileHandle> OpenFolder(string workspace, string hostDirectory, string inside)
    {
        var folder = BeneathOpen.OpenDirectory(workspace, hostDirectory, out var failure, out var errno);
        if (failure == BeneathFailure.Unsupported)
        {
            folder = Native.OpenDirectory(hostDirectory, out errno);
            if (folder is not null && !WorkspacePaths.IsOpenedInside(new SafeHandleWrapper(folder), workspace))
            {
                folder.Dispose();
                return OpenFailure(BeneathFailure.Outside, 0, "write", inside);
            }

            failure = folder is null ? BeneathFailure.Other : BeneathFailure.None;
        }

        if (folder is null)
        {
            return OpenFailure(failure, errno, "write", inside);
        }

        return folder;
    }

    public async ValueTask<SandboxResult<Unit>> DownloadAsync(string sandbox, string path, Stream destination, CancellationToken cancellationToken = default)
    {
        var opened = OpenRead(sandbox, path);
        if (!opened.Succeeded)
        {
            return opened.Error;
        }

        await using var stream = opened.Value.Stream;
        await stream.CopyToAsync(destination, cancellationToken);
        return Unit.Value;
    }

    public ValueTask<SandboxResult<Unit>> DeleteAsync(string sandbox, string path, CancellationToken cancellationToken = default)
    {
        var resolved = Resolve(sandbox, path);
        if (!resolved.Succeeded)
        {
            return Result<Unit>(resolved.Error);
        }

        var (host, inside, workspace) = resolved.Value;
        if (inside == WorkspacePaths.Root)
        {
            return Result<Unit>(new SandboxError(SandboxErrorKind.InvalidArgument, "Refusing to delete /workspace itself; delete the sandbox instead."));
        }

        // unlinkat in the parent opened beneath the workspace, and a folder walked level by level through descriptors:
        // a folder swapped for a link at any moment is never followed, so nothing outside can be deleted.
        using var parent = BeneathOpen.OpenDirectory(workspace, Path.GetDirectoryName(host)!, out var failure, out var errno);
        if (failure == BeneathFailure.Unsupported)
        {
            return Result(DeleteByPath(host, inside));
        }

        if (parent is null)
        {
            return Result<Unit>(failure == BeneathFailure.NotFound
                ? new SandboxError(SandboxErrorKind.NotFound, $"'{inside}' does not exist.")
                : OpenFailure(failure, errno, "delete", inside));
        }

        var failed = BeneathOpen.DeleteAt(parent, Path.GetFileName(host));
        return Result(failed switch
        {
            0 => SandboxResult<Unit>.Ok(Unit.Value),
            ENoent => SandboxResult<Unit>.Fail(SandboxErrorKind.NotFound, $"'{inside}' does not exist."),
            ENotEmpty => SandboxResult<Unit>.Fail(SandboxErrorKind.Conflict, $"'{inside}' changed while it was being deleted; try again."),
            _ => SandboxResult<Unit>.Fail(SandboxErrorKind.InvalidArgument, $"Cannot delete '{inside}' (errno {failed})."),
        });
    }

    /// <summary>Deletes by path, only where openat2 is missing.</summary>
    private static SandboxResult<Unit> DeleteByPath(string host, string inside)
    {
        if (Directory.Exists(host))
        {
            Directory.Delete(host, recursive: true);
        }
        else if (File.Exists(host))
        {
            File.Delete(host);
        }
        else
        {
            return new SandboxError(SandboxErrorKind.NotFound, $"'{inside}' does not exist.");
        }

        return Unit.Value;
    }

    public ValueTask<SandboxResult<FileEntry>> CreateDirectoryAsync(string sandbox, string path, CancellationToken cancellationToken = default)
    {
        var resolved = Resolve(sandbox, path);
        if (!resolved.Succeeded)
        {
            return Result<FileEntry>(resolved.Error);
        }

        var (host, inside, workspace) = resolved.Value;
        if (File.Exists(host))
        {
            return Result<FileEntry>(new SandboxError(SandboxErrorKind.Conflict, $"'{inside}' is a file."));
        }

        var created = EnsureDirectory(workspace, host);
        if (!created.Succeeded)
        {
            return Result<FileEntry>(created.Error);
        }

        // Describe the folder opened beneath the workspace, never a host folder a swapped link leads to.
        using var handle = BeneathOpen.OpenPath(workspace, host, out var failure, out var errno);
        return failure == BeneathFailure.Unsupported
            ? Result(SandboxResult<FileEntry>.Ok(Describe(new DirectoryInfo(host), inside)))
            : handle is not null
                ? Result(SandboxResult<FileEntry>.Ok(DescribeOpened(handle, host, inside)))
                : Result<FileEntry>(OpenFailure(failure, errno, "create", inside));
    }

    public ValueTask<SandboxResult<FileEntry>> MoveAsync(string sandbox, string source, string destination, CancellationToken cancellationToken = default)
    {
        var from = Resolve(sandbox, source);
        var to = Resolve(sandbox, destination);
        if (!from.Succeeded || !to.Succeeded)
        {
            return Result<FileEntry>(from.Error ?? to.Error!);
        }

        var (fromHost, fromInside, workspace) = from.Value;
        var (toHost, toInside, _) = to.Value;
        if (fromInside == WorkspacePaths.Root)
        {
            return Result<FileEntry>(new SandboxError(SandboxErrorKind.InvalidArgument, "Cannot move /workspace itself."));
        }

        if (File.Exists(toHost) || Directory.Exists(toHost))
        {
            return Result<FileEntry>(new SandboxError(SandboxErrorKind.Conflict, $"'{toInside}' already exists; delete it first or pick another name."));
        }

        var parent = EnsureDirectory(workspace, Path.GetDirectoryName(toHost)!);
        if (!parent.Succeeded)
        {
            return Result<FileEntry>(parent.Error);
        }

        // renameat2 between both parents opened beneath the workspace, never replacing: a folder on either path
        // swapped for a link meanwhile makes an open fail, so nothing is taken from or put outside.
        using var fromParent = BeneathOpen.OpenDirectory(workspace, Path.GetDirectoryName(fromHost)!, out var failure, out var errno);
        if (failure == BeneathFailure.Unsupported)
        {
            return Result(MoveByPath(fromHost, fromInside, toHost, toInside));
        }

        if (fromParent is null)
        {
            return Result<FileEntry>(failure == BeneathFailure.NotFound
                ? new SandboxError(SandboxErrorKind.NotFound, $"'{fromInside}' does not exist.")
                : OpenFailure(failure, errno, "move", fromInside));
        }

        using var toParent = BeneathOpen.OpenDirectory(workspace, Path.GetDirectoryName(toHost)!, out failure, out errno);
        if (toParent is null)
        {
            return Result<FileEntry>(OpenFailure(failure, errno, "move to", toInside));
        }

        var toName = Path.GetFileName(toHost);
        var failed = BeneathOpen.RenameAt(fromParent, Path.GetFileName(fromHost), toParent, toName);
        if (failed == 0)
        {
            return BeneathOpen.DescribeAt(toParent, toName) is { } moved
                ? Result(SandboxResult<FileEntry>.Ok(Entry(toInside, toName, moved.IsDirectory, moved.Size, moved.Modified, moved.Mode)))
                : Result<FileEntry>(new SandboxError(SandboxErrorKind.NotFound, $"'{toInside}' was moved or deleted right after the move."));
        }

        return Result<FileEntry>(failed switch
        {
            ENoent => new SandboxError(SandboxErrorKind.NotFound, $"'{fromInside}' does not exist."),
            EExist or ENotEmpty => new SandboxError(SandboxErrorKind.Conflict, $"'{toInside}' already exists; delete it first or pick another name."),
            _ => new SandboxError(SandboxErrorKind.InvalidArgument, $"Cannot move '{fromInside}' to '{toInside}' (errno {failed})."),
        });
    }

    /// <summary>Moves by path, only where openat2 is missing.</summary>
    private static SandboxResult<FileEntry> MoveByPath(string fromHost, string fromInside, string toHost, string toInside)
    {
        if (Directory.Exists(fromHost))
        {
            Directory.Move(fromHost, toHost);
            return Describe(new DirectoryInfo(toHost), toInside);
        }

        if (!File.Exists(fromHost))
        {
            return new SandboxError(SandboxErrorKind.NotFound, $"'{fromInside}' does not exist.");
        }

        File.Move(fromHost, toHost);
        return Describe(new FileInfo(toHost), toInside);
    }

    /// <summary>
    /// Describes an entry of an opened folder from the entry itself (never following it). A link that stays inside the
    /// workspace is described by its target, opened beneath the workspace; any other link only as a link. Returns
    /// <see langword="null"/> for an entry deleted meanwhile.
    /// </summary>
    private static FileEntry? DescribeAt(string workspace, SafeFileHandle folder, string name, string sandboxPath)
    {
        if (BeneathOpen.DescribeAt(folder, name) is not { } entry)
        {
            return null;
        }

        if (!entry.IsLink)
        {
            return Entry(sandboxPath, name, entry.IsDirectory, entry.Size, entry.Modified, entry.Mode);
        }

        var resolved = WorkspacePaths.Resolve(workspace, sandboxPath);
        if (resolved.Succeeded)
        {
            using var target = BeneathOpen.OpenPath(workspace, resolved.Value.Host, out _, out _);
            if (target is not null)
            {
                return DescribeOpened(target, resolved.Value.Host, sandboxPath) with { Name = name };
            }
        }

        // The link's own size (its target's length) and modification time, never its target's.
        return new FileEntry(sandboxPath, name, IsDirectory: false, entry.Size, entry.Modified, "777");
    }

    private static FileEntry Entry(string sandboxPath, string name, bool isDirectory, long size, DateTimeOffset modified, int mode) =>
        new(sandboxPath, name, isDirectory, isDirectory ? 0 : size, modified, Convert.ToString(mode, 8).PadLeft(3, '0').ToString(CultureInfo.InvariantCulture));

    private SandboxResult<(FileStream Stream, string Path)> OpenRead(string sandbox, string path)
    {
        var resolved = Resolve(sandbox, path);
        if (!resolved.Succeeded)
        {
            return resolved.Error;
        }

        var (host, inside, workspace) = resolved.Value;
        if (Directory.Exists(host))
        {
            return SandboxResult<(FileStream, string)>.Fail(SandboxErrorKind.InvalidArgument, $"'{inside}' is a folder; list it instead.");
        }

        if (!File.Exists(host))
        {
            return SandboxResult<(FileStream, string)>.Fail(SandboxErrorKind.NotFound, $"File '{inside}' does not exist.");
        }

        // Never block on a FIFO (or open a device) planted by sandboxed code, and never follow a link swapped in.
        var opened = OpenRegular(workspace, host, inside);
        return opened.Succeeded ? (new FileStream(opened.Value, FileAccess.Read, 81920), inside) : opened.Error;
    }

    /// <summary>
    /// Opens a regular file with openat2 beneath the workspace, so that a folder swapped for a link at the last moment
    /// cannot make even an empty file appear outside; where openat2 is missing, by path refusing a final link. Either
    /// way the opened file's real path is checked through <c>/proc/self/fd</c>.
    /// </summary>
    private static SandboxResult<SafeFileHandle> OpenRegular(string workspace, string host, string inside)
    {
        var handle = BeneathOpen.OpenRegularFile(workspace, host, out var failure, out var errno);
        var beneath = failure != BeneathFailure.Unsupported;
        if (beneath && handle is null)
        {
            return failure == BeneathFailure.NotFound
                ? SandboxResult<SafeFileHandle>.Fail(SandboxErrorKind.NotFound, $"File '{inside}' does not exist.")
                : OpenFailure(failure, errno, "read", inside);
        }

        if (!beneath && (handle = Native.OpenRegularFile(host, out var problem)) is null)
        {
            return SandboxResult<SafeFileHandle>.Fail(SandboxErrorKind.InvalidArgument, $"Cannot read '{inside}': it {problem}.");
        }

        if (!WorkspacePaths.IsOpenedInside(new SafeHandleWrapper(handle!), workspace))
        {
            handle!.Dispose();
            return SandboxResult<SafeFileHandle>.Fail(SandboxErrorKind.InvalidArgument, $"'{inside}' leads outside the sandbox.");
        }

        return handle!;
    }

    private static SandboxError OpenFailure(BeneathFailure failure, int errno, string verb, string inside) => failure == BeneathFailure.Other && errno is Native.ENoSpace or Native.EQuota
        ? new(SandboxErrorKind.LimitExceeded, $"Cannot {verb} '{inside}': disk quota exceeded (no space or no file left in the workspace); delete files or create the sandbox with more disk.")
        : new(SandboxErrorKind.InvalidArgument, failure switch
        {
            BeneathFailure.Outside => $"'{inside}' leads outside the sandbox.",
            BeneathFailure.SymbolicLink => $"Cannot {verb} '{inside}': a symbolic link was swapped onto its path while it was being opened.",
            BeneathFailure.NotRegular => $"Cannot {verb} '{inside}': it is not a regular file.",
            _ => $"Cannot {verb} '{inside}': it could not be opened (errno {errno}).",
        });

    /// <summary>Describes an opened file or folder from its descriptor.</summary>
    private static FileEntry DescribeOpened(SafeFileHandle handle, string host, string inside)
    {
        var (isDirectory, size, modified, mode) = BeneathOpen.Describe(handle)
            ?? throw new IOException($"statx on '{inside}' failed.");
        return new FileEntry(inside, Path.GetFileName(host), isDirectory, isDirectory ? 0 : size, modified,
            Convert.ToString(mode, 8).PadLeft(3, '0').ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Creates missing folders one level at a time, each checked to stay inside and given to the sandbox uid.</summary>
    private SandboxResult<Unit> EnsureDirectory(string workspace, string hostDirectory)
    {
        var relative = Path.GetRelativePath(workspace, hostDirectory);
        if (relative == ".")
        {
            return Unit.Value;
        }

        var current = workspace;
        foreach (var segment in relative.Split('/'))
        {
            current = Path.Combine(current, segment);
            if (new FileInfo(current).LinkTarget is not null)
            {
                return SandboxResult<Unit>.Fail(SandboxErrorKind.InvalidArgument, "A folder on the path is a symbolic link; use the real path.");
            }

            if (File.Exists(current))
            {
                return SandboxResult<Unit>.Fail(SandboxErrorKind.Conflict, $"'{WorkspacePaths.Root}/{Path.GetRelativePath(workspace, current)}' is a file, not a folder.");
            }

            if (!Directory.Exists(current))
            {
                // mkdir in the parent opened beneath the workspace: a folder swapped for a link cannot put it outside.
                var made = BeneathOpen.CreateDirectory(workspace, current, runtime.Uid, out var errno);
                if (made == BeneathFailure.Unsupported)
                {
                    Directory.CreateDirectory(current);
                    runtime.GiveToSandbox(current);
                }
                else if (made != BeneathFailure.None)
                {
                    return SandboxResult<Unit>.Fail(OpenFailure(made, errno, "create", $"{WorkspacePaths.Root}/{Path.GetRelativePath(workspace, current)}"));
                }
            }
        }

        return Unit.Value;
    }

    /// <summary>Why a host-side write found no space: the sandbox's quota (named, with the fix), or the host disk itself.</summary>
    private string DiskFull(string sandbox)
    {
        var spec = runtime.Store.Find(sandbox) is { } record ? runtime.SpecOf(record) : null;
        return spec is not null && spec.DiskQuota.StartsWith("enforced", StringComparison.Ordinal)
            ? DiskQuotas.ExceededMessage(spec.DiskBytes, spec.DiskInodes)
            : "No space left on the disk that holds the sandbox's workspace; free space on the host or delete files in the sandbox.";
    }

    /// <summary>Finds the sandbox once and confines the path to its workspace, which is returned too.</summary>
    private SandboxResult<(string Host, string Sandbox, string Workspace)> Resolve(string sandbox, string path)
    {
        var found = runtime.FindRunning(sandbox);
        if (!found.Succeeded)
        {
            return found.Error;
        }

        var workspace = runtime.Layout.Workspace(found.Value.Id);
        var resolved = WorkspacePaths.Resolve(workspace, path);
        return resolved.Succeeded ? (resolved.Value.Host, resolved.Value.Sandbox, workspace) : resolved.Error;
    }

    /// <summary>
    /// Describes a listed entry. A symbolic link that stays inside the workspace is described by its target; any
    /// other link only as a link, because .NET reports the target's mode and kind, which for a link planted by
    /// sandboxed code would be a host file's.
    /// </summary>
    private static FileEntry DescribeEntry(string workspace, FileSystemInfo info, string sandboxPath)
    {
        if (info.LinkTarget is not { } target)
        {
            return Describe(info, sandboxPath);
        }

        var resolved = WorkspacePaths.Resolve(workspace, sandboxPath);
        if (resolved.Succeeded)
        {
            FileSystemInfo real = Directory.Exists(resolved.Value.Host) ? new DirectoryInfo(resolved.Value.Host) : new FileInfo(resolved.Value.Host);
            if (real.Exists && real.LinkTarget is null)
            {
                return Describe(real, sandboxPath) with { Name = info.Name };
            }
        }

        // The link's own modification time (not following it), never its target's.
        var linkTime = Native.LinkModifiedUtc(info.FullName) ?? DateTimeOffset.UnixEpoch;
        return new FileEntry(sandboxPath, info.Name, IsDirectory: false, target.Length, linkTime, "777");
    }

    private static FileEntry Describe(FileSystemInfo info, string sandboxPath) => new(
        sandboxPath,
        info.Name == "workspace" && sandboxPath == WorkspacePaths.Root ? "workspace" : info.Name,
        info is DirectoryInfo,
        info is FileInfo file ? file.Length : 0,
        info.LastWriteTimeUtc,
        Convert.ToString((int)info.UnixFileMode, 8).PadLeft(3, '0').ToString(CultureInfo.InvariantCulture));

    private static ValueTask<SandboxResult<T>> Result<T>(SandboxResult<T> result) => ValueTask.FromResult(result);

    private static ValueTask<SandboxResult<T>> Result<T>(SandboxError error) => ValueTask.FromResult(SandboxResult<T>.Fail(error));
}
