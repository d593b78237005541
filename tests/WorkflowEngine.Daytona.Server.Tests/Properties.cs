// The local provider these tests run real sandboxes on is Linux-only (bubblewrap, cgroups, seccomp).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
