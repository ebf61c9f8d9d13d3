using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace EvoMerge.Tests.Plots;

/// <summary>A minimal PNG decoder (8-bit RGB/RGBA, non-interlaced: what Chromium writes) for render checks.</summary>
internal sealed class PngImage
{
    PngImage(int width, int height, byte[] rgb)
    {
        Width = width;
        Height = height;
        Rgb = rgb;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Pixels as R, G, B triples, row by row.</summary>
    public byte[] Rgb { get; }

    public static PngImage Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (
            bytes.Length < 8
            || !bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 })
        )
            throw new InvalidDataException($"{path}: not a PNG file");
        int width = 0,
            height = 0,
            colorType = -1;
        using var idat = new MemoryStream();
        for (var at = 8; at + 8 <= bytes.Length; )
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            var type = Encoding.ASCII.GetString(bytes, at + 4, 4);
            var data = bytes.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                var bitDepth = data[8];
                colorType = data[9];
                if (bitDepth != 8 || (colorType != 2 && colorType != 6) || data[12] != 0)
                    throw new InvalidDataException(
                        $"{path}: only 8-bit RGB/RGBA non-interlaced PNGs are supported (depth {bitDepth}, colour type {colorType})"
                    );
            }
            else if (type == "IDAT")
                idat.Write(data);
            else if (type == "IEND")
                break;
            at += 12 + length; // length, type, data, CRC
        }
        var channels = colorType == 6 ? 4 : 3;
        var stride = width * channels;
        var raw = new byte[(stride + 1) * height];
        idat.Position = 0;
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
            zlib.ReadExactly(raw);

        var pixels = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var line = raw.AsSpan(y * (stride + 1) + 1, stride);
            var row = pixels.AsSpan(y * stride, stride);
            var previous = y > 0 ? pixels.AsSpan((y - 1) * stride, stride) : new byte[stride];
            for (var x = 0; x < stride; x++)
            {
                int left = x >= channels ? row[x - channels] : 0;
                int up = previous[x];
                int upLeft = x >= channels ? previous[x - channels] : 0;
                row[x] = (byte)(
                    line[x]
                    + filter switch
                    {
                        0 => 0,
                        1 => left,
                        2 => up,
                        3 => (left + up) / 2,
                        4 => Paeth(left, up, upLeft),
                        _ => throw new InvalidDataException($"{path}: unknown PNG filter {filter}"),
                    }
                );
            }
        }
        var rgb = new byte[width * height * 3];
        for (var i = 0; i < width * height; i++)
        for (var c = 0; c < 3; c++)
            rgb[i * 3 + c] = pixels[i * channels + c];
        return new PngImage(width, height, rgb);
    }

    /// <summary>Fraction of pixels that are not (near) white.</summary>
    public double NonWhiteFraction()
    {
        var count = 0;
        for (var i = 0; i < Rgb.Length; i += 3)
            if (Rgb[i] < 245 || Rgb[i + 1] < 245 || Rgb[i + 2] < 245)
                count++;
        return count / (double)(Width * Height);
    }

    /// <summary>Pixels with a strong colour (max − min channel > 60): traces, bars, heatmap cells — not text, grid or background.</summary>
    public int SaturatedPixels()
    {
        var count = 0;
        for (var i = 0; i < Rgb.Length; i += 3)
        {
            var max = Math.Max(Rgb[i], Math.Max(Rgb[i + 1], Rgb[i + 2]));
            var min = Math.Min(Rgb[i], Math.Min(Rgb[i + 1], Rgb[i + 2]));
            if (max - min > 60)
                count++;
        }
        return count;
    }

    public int DistinctColours()
    {
        var seen = new HashSet<int>();
        for (var i = 0; i < Rgb.Length; i += 3)
            seen.Add(Rgb[i] << 16 | Rgb[i + 1] << 8 | Rgb[i + 2]);
        return seen.Count;
    }

    static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a
            : pb <= pc ? b
            : c;
    }
}
