// Marks one GNU symbol-version requirement of an ELF64 shared library as weak (VER_FLG_WEAK),
// so the dynamic loader treats a missing version as non-fatal.
//
// Why: TorchSharp 0.107's libLibTorchSharp.so was linked by GCC 13+, whose <iostream> adds a
// reference to std::ios_base_library_init() at GLIBCXX_3.4.32. Nothing ever calls it (libtorch's
// own static initializers set up iostreams), but Debian 12's libstdc++ stops at GLIBCXX_3.4.30, so
// the library refuses to load. A weak version requirement lets it load; the lazily bound symbol is
// never resolved. See README "Troubleshooting".
//
// This one file is compiled twice: by MSBuild as an inline task (build/TorchSharpNative.targets)
// that patches build outputs, and into the EvoMerge library (EVOMERGE_LIBRARY defined), which
// patches again at run time before the first TorchSharp call (an incremental build may copy the
// unpatched library back).
using System;
using System.IO;
using System.Text;

namespace EvoMerge.Build
{
    public static class ElfVersionPatch
    {
        public const string RequiredVersion = "GLIBCXX_3.4.32";
        const uint ShtGnuVerneed = 0x6ffffffe;
        const ushort VerFlgWeak = 0x2;

        /// <summary>True when the system's libstdc++ defines <paramref name="version"/> (no patch needed).</summary>
        public static bool SystemLibStdCxxHas(string version)
        {
            var candidates = new[]
            {
                "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
                "/usr/lib64/libstdc++.so.6",
                "/usr/lib/libstdc++.so.6",
                "/lib/x86_64-linux-gnu/libstdc++.so.6",
            };
            foreach (var path in candidates)
            {
                if (!File.Exists(path))
                    continue;
                var needle = Encoding.ASCII.GetBytes(version + "\0");
                return IndexOf(File.ReadAllBytes(path), needle) >= 0;
            }
            return true; // No libstdc++ found where expected: not a system we know how to help.
        }

        /// <summary>
        /// Sets VER_FLG_WEAK on the <paramref name="version"/> entry of the file's .gnu.version_r section.
        /// Returns true if the file was changed, false if already weak or absent. Idempotent; writes
        /// to a temporary file and renames it over the original.
        /// </summary>
        public static bool MakeVersionWeak(string path, string version)
        {
            var bytes = File.ReadAllBytes(path);
            if (
                bytes.Length < 64
                || bytes[0] != 0x7f
                || bytes[1] != (byte)'E'
                || bytes[2] != (byte)'L'
                || bytes[3] != (byte)'F'
            )
                throw new InvalidDataException($"{path}: not an ELF file");
            if (bytes[4] != 2 || bytes[5] != 1)
                throw new InvalidDataException($"{path}: only little-endian ELF64 is supported");

            ulong shoff = U64(bytes, 0x28);
            int shentsize = U16(bytes, 0x3A);
            int shnum = U16(bytes, 0x3C);
            bool changed = false;
            for (int i = 0; i < shnum; i++)
            {
                int sh = checked((int)shoff + i * shentsize);
                if (U32(bytes, sh + 4) != ShtGnuVerneed)
                    continue;
                int strtabHeader = checked((int)shoff + (int)U32(bytes, sh + 0x28) * shentsize);
                int strtab = checked((int)U64(bytes, strtabHeader + 0x18));
                int need = checked((int)U64(bytes, sh + 0x18));
                while (true)
                {
                    // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32
                    int count = U16(bytes, need + 2);
                    int aux = need + (int)U32(bytes, need + 8);
                    for (int k = 0; k < count; k++)
                    {
                        // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32
                        string name = CString(bytes, strtab + (int)U32(bytes, aux + 8));
                        ushort flags = U16(bytes, aux + 4);
                        if (name == version && (flags & VerFlgWeak) == 0)
                        {
                            flags |= VerFlgWeak;
                            bytes[aux + 4] = (byte)(flags & 0xff);
                            bytes[aux + 5] = (byte)(flags >> 8);
                            changed = true;
                        }
                        aux += (int)U32(bytes, aux + 12);
                    }
                    uint next = U32(bytes, need + 12);
                    if (next == 0)
                        break;
                    need += (int)next;
                }
            }
            if (changed)
            {
                var temp = path + ".patching";
                File.WriteAllBytes(temp, bytes);
                File.Delete(path); // Replacing the inode also keeps a process that mapped the old file safe.
                File.Move(temp, path);
            }
            return changed;
        }

        static ushort U16(byte[] b, int o) => (ushort)(b[o] | b[o + 1] << 8);

        static uint U32(byte[] b, int o) =>
            (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24);

        static ulong U64(byte[] b, int o) => U32(b, o) | (ulong)U32(b, o + 4) << 32;

        static string CString(byte[] b, int o)
        {
            int end = o;
            while (b[end] != 0)
                end++;
            return Encoding.ASCII.GetString(b, o, end - o);
        }

        static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                if (haystack[i] != needle[0])
                    continue;
                int j = 1;
                while (j < needle.Length && haystack[i + j] == needle[j])
                    j++;
                if (j == needle.Length)
                    return i;
            }
            return -1;
        }
    }

#if !EVOMERGE_LIBRARY
    /// <summary>MSBuild task: patches each given libLibTorchSharp.so when the system needs it.</summary>
    public sealed class PatchTorchSharpNative : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } =
            Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        public override bool Execute()
        {
            if (
                !System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(
                    System.Runtime.InteropServices.OSPlatform.Linux
                ) || ElfVersionPatch.SystemLibStdCxxHas(ElfVersionPatch.RequiredVersion)
            )
                return true;
            foreach (var item in Files)
            {
                var path = item.ItemSpec;
                if (
                    File.Exists(path)
                    && ElfVersionPatch.MakeVersionWeak(path, ElfVersionPatch.RequiredVersion)
                )
                    Log.LogMessage(
                        Microsoft.Build.Framework.MessageImportance.High,
                        $"EvoMerge: marked {ElfVersionPatch.RequiredVersion} weak in {path} (system libstdc++ lacks it)"
                    );
            }
            return true;
        }
    }
#endif
}
