using System.Buffers.Binary;
using System.Text;

namespace EvoMerge.Checkpoints.Tokenizers;

/// <summary>One field of a protobuf message as it appears on the wire.</summary>
/// <param name="Number">The field number.</param>
/// <param name="WireType">0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.</param>
/// <param name="Varint">The value of a varint or fixed field (fixed32 floats as raw bits).</param>
/// <param name="Bytes">The payload of a length-delimited field.</param>
internal readonly record struct ProtoField(
    int Number,
    int WireType,
    ulong Varint,
    ReadOnlyMemory<byte> Bytes
)
{
    public float Float => BitConverter.Int32BitsToSingle((int)(uint)Varint);
    public int Int32 => (int)(long)Varint;
    public bool Bool => Varint != 0;
    public string String => Encoding.UTF8.GetString(Bytes.Span);
}

/// <summary>
/// The few protobuf wire-format primitives a SentencePiece model needs (proto2, no groups):
/// <see href="https://protobuf.dev/programming-guides/encoding/"/>. Hand-written so the model file
/// can be read and written without generated code.
/// </summary>
internal static class ProtoWire
{
    /// <summary>Splits one message into its fields, in file order; throws <see cref="FormatException"/> on a malformed message.</summary>
    public static List<ProtoField> ReadFields(ReadOnlyMemory<byte> message)
    {
        var fields = new List<ProtoField>();
        var span = message.Span;
        int pos = 0;
        while (pos < span.Length)
        {
            ulong key = ReadVarint(span, ref pos);
            int number = (int)(key >> 3);
            int wire = (int)(key & 7);
            if (number <= 0)
                throw new FormatException($"field number {number} at byte {pos}");
            switch (wire)
            {
                case 0:
                    fields.Add(new ProtoField(number, wire, ReadVarint(span, ref pos), default));
                    break;
                case 1:
                    Need(span, pos, 8);
                    fields.Add(
                        new ProtoField(
                            number,
                            wire,
                            BinaryPrimitives.ReadUInt64LittleEndian(span[pos..]),
                            default
                        )
                    );
                    pos += 8;
                    break;
                case 2:
                    ulong length = ReadVarint(span, ref pos);
                    if (length > (ulong)(span.Length - pos))
                        throw new FormatException(
                            $"field {number} claims {length} bytes, only {span.Length - pos} left"
                        );
                    fields.Add(new ProtoField(number, wire, 0, message.Slice(pos, (int)length)));
                    pos += (int)length;
                    break;
                case 5:
                    Need(span, pos, 4);
                    fields.Add(
                        new ProtoField(
                            number,
                            wire,
                            BinaryPrimitives.ReadUInt32LittleEndian(span[pos..]),
                            default
                        )
                    );
                    pos += 4;
                    break;
                default:
                    throw new FormatException($"unsupported wire type {wire} for field {number}");
            }
        }
        return fields;
    }

    static void Need(ReadOnlySpan<byte> span, int pos, int count)
    {
        if (span.Length - pos < count)
            throw new FormatException($"message ends inside a {count}-byte field");
    }

    static ulong ReadVarint(ReadOnlySpan<byte> span, ref int pos)
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (pos >= span.Length)
                throw new FormatException("message ends inside a varint");
            byte b = span[pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return result;
        }
        throw new FormatException("varint longer than 10 bytes");
    }

    public static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }

    static void WriteKey(Stream output, int number, int wire) =>
        WriteVarint(output, ((ulong)number << 3) | (uint)wire);

    /// <summary>An int32/enum field: negative values are sign-extended to ten bytes, as protobuf requires.</summary>
    public static void WriteInt32(Stream output, int number, int value)
    {
        WriteKey(output, number, 0);
        WriteVarint(output, (ulong)(long)value);
    }

    public static void WriteBool(Stream output, int number, bool value)
    {
        WriteKey(output, number, 0);
        output.WriteByte(value ? (byte)1 : (byte)0);
    }

    public static void WriteFloat(Stream output, int number, float value)
    {
        WriteKey(output, number, 5);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        output.Write(bytes);
    }

    public static void WriteBytes(Stream output, int number, ReadOnlySpan<byte> value)
    {
        WriteKey(output, number, 2);
        WriteVarint(output, (ulong)value.Length);
        output.Write(value);
    }

    public static void WriteString(Stream output, int number, string value) =>
        WriteBytes(output, number, Encoding.UTF8.GetBytes(value));
}
