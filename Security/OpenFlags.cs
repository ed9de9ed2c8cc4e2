using System.Runtime.InteropServices;

namespace MatlabMcp.Security;

/// <summary>
/// open(2) flags, in one place: O_DIRECTORY and O_NOFOLLOW differ between Linux on x86-64 and on arm (where 0x20000 is
/// O_LARGEFILE, so a copy of the x86 value silently follows links), and macOS differs in most of them.
/// </summary>
internal static class OpenFlags
{
    private static readonly bool Mac = OperatingSystem.IsMacOS();
    private static readonly bool Arm = !Mac && RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;

    public const int ReadOnly = 0, WriteOnly = 1;
    public static readonly int Create = Mac ? 0x200 : 0x40;
    public static readonly int Exclusive = Mac ? 0x800 : 0x80;
    public static readonly int NonBlock = Mac ? 0x4 : 0x800;
    public static readonly int CloseOnExec = Mac ? 0x1000000 : 0x80000;
    public static readonly int Directory = Mac ? 0x100000 : Arm ? 0x4000 : 0x10000;
    public static readonly int NoFollow = Mac ? 0x100 : Arm ? 0x8000 : 0x20000;
}
