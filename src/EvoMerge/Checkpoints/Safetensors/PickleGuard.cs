namespace EvoMerge.Checkpoints.Safetensors;

/// <summary>Refuses pickle checkpoints (pytorch_model.bin, *.pt, *.ckpt): unpickling can run arbitrary code.</summary>
public static class PickleGuard
{
    static readonly string[] PickleExtensions = [".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle"];

    /// <summary>Throws a <see cref="SafetensorsException"/> if <paramref name="path"/> is a pickle file by name or content.</summary>
    public static void ThrowIfPickle(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (
            PickleExtensions.Contains(extension)
            || (extension != ".safetensors" && StartsLikePickle(path))
        )
            throw new SafetensorsException(
                path,
                null,
                "pickle checkpoints are refused (unpickling can run arbitrary code); convert it to safetensors first, e.g. with transformers' save_pretrained(safe_serialization=True)"
            );
    }

    /// <summary>A pickle stream starts with PROTO (0x80) and a protocol number; a torch zip checkpoint with "PK".</summary>
    static bool StartsLikePickle(string path)
    {
        if (!File.Exists(path))
            return false;
        Span<byte> head = stackalloc byte[2];
        using var stream = File.OpenRead(path);
        if (stream.Read(head) < 2)
            return false;
        return (head[0] == 0x80 && head[1] is >= 2 and <= 5)
            || (head[0] == (byte)'P' && head[1] == (byte)'K');
    }
}
