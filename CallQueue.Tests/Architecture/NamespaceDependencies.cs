using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace CallQueue.Tests.Architecture;

/// <summary>
/// Which namespace uses which, read from compiled assemblies' metadata (System.Reflection.Metadata, nothing loaded). A
/// type uses the types named by its base type, interfaces, generic constraints and attributes, its fields', methods',
/// properties' and events' signatures, its methods' local variables and catch clauses, and every type, method and field
/// token in its methods' IL (calls, <c>new</c>, <c>typeof</c>, casts, generic arguments). Nested and compiler-generated
/// types (lambdas' closures, async state machines) count for their outermost type. Not seen: constants, which the
/// compiler copies into the code that uses them, and <c>typeof</c> inside attribute arguments.
/// </summary>
internal static class NamespaceDependencies
{
    private static readonly Dictionary<ushort, OperandType> Operands = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => unchecked((ushort)code.Value), code => code.OperandType);

    /// <summary>
    /// The edges between namespaces starting with <paramref name="prefix"/>: from → to → an example ("DialCallJob uses
    /// ICallCapacity"), both levels sorted.
    /// </summary>
    public static SortedDictionary<string, SortedDictionary<string, string>> Read(IEnumerable<string> assemblyPaths, string prefix)
    {
        var edges = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var path in assemblyPaths)
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            var reader = pe.GetMetadataReader();
            var names = new UsedTypeProvider();
            foreach (var handle in reader.TypeDefinitions)
            {
                var owner = Outermost(reader, handle);
                if (!owner.Namespace.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var used in UsedTypes(reader, pe, names, handle))
                {
                    if (used.Namespace != owner.Namespace && used.Namespace.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        if (!edges.TryGetValue(owner.Namespace, out var targets))
                        {
                            edges[owner.Namespace] = targets = new SortedDictionary<string, string>(StringComparer.Ordinal);
                        }

                        targets.TryAdd(used.Namespace, $"{owner.Name} uses {used.Name}");
                    }
                }
            }
        }

        return edges;
    }

    private static List<UsedType> UsedTypes(MetadataReader reader, PEReader pe, UsedTypeProvider names, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var found = new List<UsedType>();
        found.AddRange(Of(reader, names, type.BaseType));
        foreach (var implementation in type.GetInterfaceImplementations())
        {
            found.AddRange(Of(reader, names, reader.GetInterfaceImplementation(implementation).Interface));
        }

        found.AddRange(OfGenericParameters(reader, names, type.GetGenericParameters()));
        found.AddRange(OfAttributes(reader, names, type.GetCustomAttributes()));
        foreach (var fieldHandle in type.GetFields())
        {
            var field = reader.GetFieldDefinition(fieldHandle);
            found.AddRange(field.DecodeSignature(names, null));
            found.AddRange(OfAttributes(reader, names, field.GetCustomAttributes()));
        }

        foreach (var propertyHandle in type.GetProperties())
        {
            var property = reader.GetPropertyDefinition(propertyHandle);
            found.AddRange(Flatten(property.DecodeSignature(names, null)));
            found.AddRange(OfAttributes(reader, names, property.GetCustomAttributes()));
        }

        foreach (var eventHandle in type.GetEvents())
        {
            found.AddRange(Of(reader, names, reader.GetEventDefinition(eventHandle).Type));
        }

        foreach (var methodHandle in type.GetMethods())
        {
            var method = reader.GetMethodDefinition(methodHandle);
            found.AddRange(Flatten(method.DecodeSignature(names, null)));
            found.AddRange(OfAttributes(reader, names, method.GetCustomAttributes()));
            found.AddRange(OfGenericParameters(reader, names, method.GetGenericParameters()));
            if (method.RelativeVirtualAddress != 0)
            {
                found.AddRange(OfBody(reader, names, pe.GetMethodBody(method.RelativeVirtualAddress)));
            }
        }

        return found;
    }

    private static IEnumerable<UsedType> OfBody(MetadataReader reader, UsedTypeProvider names, MethodBodyBlock body)
    {
        if (!body.LocalSignature.IsNil)
        {
            foreach (var local in reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(names, null))
            {
                foreach (var used in local)
                {
                    yield return used;
                }
            }
        }

        foreach (var region in body.ExceptionRegions)
        {
            foreach (var used in Of(reader, names, region.CatchType))
            {
                yield return used;
            }
        }

        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            var code = (ushort)il.ReadByte();
            if (code == 0xFE)
            {
                code = (ushort)(0xFE00 | il.ReadByte());
            }

            switch (Operands[code])
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    foreach (var used in Of(reader, names, MetadataTokens.EntityHandle(il.ReadInt32())))
                    {
                        yield return used;
                    }

                    break;
                case OperandType.InlineSwitch:
                    var targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    il.Offset += 8;
                    break;
                default:
                    il.Offset += 4;
                    break;
            }
        }
    }

    /// <summary>The types a metadata entity names: a type itself, or the type declaring a method or field (and a generic method's type arguments).</summary>
    private static ImmutableArray<UsedType> Of(MetadataReader reader, UsedTypeProvider names, EntityHandle handle)
    {
        if (handle.IsNil)
        {
            return [];
        }

        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                return [Outermost(reader, (TypeDefinitionHandle)handle)];
            case HandleKind.TypeReference:
                return [Outermost(reader, (TypeReferenceHandle)handle)];
            case HandleKind.TypeSpecification:
                return reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(names, null);
            case HandleKind.MethodDefinition:
                return [Outermost(reader, reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType())];
            case HandleKind.FieldDefinition:
                return [Outermost(reader, reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType())];
            case HandleKind.MemberReference:
                return Of(reader, names, reader.GetMemberReference((MemberReferenceHandle)handle).Parent);
            case HandleKind.MethodSpecification:
                var specification = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                return [.. Of(reader, names, specification.Method), .. Flatten(specification.DecodeSignature(names, null))];
            default:
                return [];
        }
    }

    private static IEnumerable<UsedType> OfAttributes(MetadataReader reader, UsedTypeProvider names, CustomAttributeHandleCollection attributes) =>
        attributes.SelectMany(attribute => Of(reader, names, reader.GetCustomAttribute(attribute).Constructor));

    private static IEnumerable<UsedType> OfGenericParameters(MetadataReader reader, UsedTypeProvider names, GenericParameterHandleCollection parameters) =>
        parameters
            .SelectMany(parameter => reader.GetGenericParameter(parameter).GetConstraints())
            .SelectMany(constraint => Of(reader, names, reader.GetGenericParameterConstraint(constraint).Type));

    private static IEnumerable<UsedType> Flatten(MethodSignature<ImmutableArray<UsedType>> signature) =>
        signature.ReturnType.Concat(signature.ParameterTypes.SelectMany(parameter => parameter));

    private static IEnumerable<UsedType> Flatten(ImmutableArray<ImmutableArray<UsedType>> types) => types.SelectMany(type => type);

    private static UsedType Outermost(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var declaring = type.GetDeclaringType();
        return declaring.IsNil
            ? new UsedType(reader.GetString(type.Namespace), reader.GetString(type.Name))
            : Outermost(reader, declaring);
    }

    private static UsedType Outermost(MetadataReader reader, TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);
        return type.ResolutionScope.Kind == HandleKind.TypeReference
            ? Outermost(reader, (TypeReferenceHandle)type.ResolutionScope)
            : new UsedType(reader.GetString(type.Namespace), reader.GetString(type.Name));
    }

    /// <summary>A type by its namespace and (outermost) name.</summary>
    private readonly record struct UsedType(string Namespace, string Name);

    /// <summary>Decodes a signature into every named type in it (generic arguments, array elements, pointers' targets).</summary>
    private sealed class UsedTypeProvider : ISignatureTypeProvider<ImmutableArray<UsedType>, object?>
    {
        public ImmutableArray<UsedType> GetPrimitiveType(PrimitiveTypeCode typeCode) => [];

        public ImmutableArray<UsedType> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => [Outermost(reader, handle)];

        public ImmutableArray<UsedType> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => [Outermost(reader, handle)];

        public ImmutableArray<UsedType> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public ImmutableArray<UsedType> GetSZArrayType(ImmutableArray<UsedType> elementType) => elementType;

        public ImmutableArray<UsedType> GetArrayType(ImmutableArray<UsedType> elementType, ArrayShape shape) => elementType;

        public ImmutableArray<UsedType> GetByReferenceType(ImmutableArray<UsedType> elementType) => elementType;

        public ImmutableArray<UsedType> GetPointerType(ImmutableArray<UsedType> elementType) => elementType;

        public ImmutableArray<UsedType> GetPinnedType(ImmutableArray<UsedType> elementType) => elementType;

        public ImmutableArray<UsedType> GetModifiedType(ImmutableArray<UsedType> modifier, ImmutableArray<UsedType> unmodifiedType, bool isRequired) =>
            [.. modifier, .. unmodifiedType];

        public ImmutableArray<UsedType> GetGenericInstantiation(ImmutableArray<UsedType> genericType, ImmutableArray<ImmutableArray<UsedType>> typeArguments) =>
            [.. genericType, .. typeArguments.SelectMany(argument => argument)];

        public ImmutableArray<UsedType> GetGenericMethodParameter(object? genericContext, int index) => [];

        public ImmutableArray<UsedType> GetGenericTypeParameter(object? genericContext, int index) => [];

        public ImmutableArray<UsedType> GetFunctionPointerType(MethodSignature<ImmutableArray<UsedType>> signature) => [.. Flatten(signature)];
    }
}
