// The local sandbox provider is Linux-only: it is built on bubblewrap, cgroups and seccomp.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
