// tfmock is a schema-only stand-in for the hashicorp/aws Terraform
// provider, so that Terraform core itself can run `terraform init`,
// `validate` and `plan` on svcgen's configurations where the real provider
// binary cannot be had.  It is a mock of the provider only: Terraform is
// the real one.
//
// It serves, over the provider plugin protocol (version 5, through
// hashicorp/terraform-plugin-go), the AWS provider's published schema as
// tests/tf/aws_schema.py extracts it in Terraform's own format (the file
// named by $SVCGEN_TFMOCK_SCHEMA).  Terraform then checks what it checks
// with the real provider: every argument's type, required arguments and
// blocks, block nesting and counts, references and their types, functions,
// for_each/count, and the dependency graph (cycles).
//
// What the provider does:
//   - validation: nothing of its own (the real provider's value checks,
//     ValidateFunc and ConflictsWith, are not reproduced)
//   - plan: every attribute as the configuration gives it, and every
//     computed attribute the configuration leaves null as unknown, in
//     nested blocks too.  The published bindings do not say which optional
//     arguments the provider also computes, so aws_schema.py serves every
//     optional argument as optional + computed; an unset one is therefore
//     planned unknown, never null.
//   - data sources: plausible known values: aws_partition (aws,
//     amazonaws.com), aws_region (the provider's region), aws_caller_identity
//     (account 123456789012); any other data source's computed attributes
//     are zero values of their types.
//   - apply, import, state moves: refused with an error diagnostic.
//
// Usage: terraform runs it (filesystem mirror or dev_overrides, see
// tests/suites/tf_terraform.sh); run by hand it prints the plugin
// handshake error of terraform-plugin-go.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"sort"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5/tf5server"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

const providerAddr = "registry.terraform.io/hashicorp/aws"

// ---- the schema, as aws_schema.py writes it ---------------------------------

type jsonAttr struct {
	Type     json.RawMessage `json:"type"`
	Required bool            `json:"required"`
	Optional bool            `json:"optional"`
	Computed bool            `json:"computed"`
}

type jsonBlockType struct {
	NestingMode string     `json:"nesting_mode"`
	MinItems    int64      `json:"min_items"`
	MaxItems    int64      `json:"max_items"`
	Block       *jsonBlock `json:"block"`
}

type jsonBlock struct {
	Attributes map[string]*jsonAttr      `json:"attributes"`
	BlockTypes map[string]*jsonBlockType `json:"block_types"`
}

type jsonSchema struct {
	Version int64      `json:"version"`
	Block   *jsonBlock `json:"block"`
}

type jsonProvider struct {
	Provider          *jsonSchema            `json:"provider"`
	ResourceSchemas   map[string]*jsonSchema `json:"resource_schemas"`
	DataSourceSchemas map[string]*jsonSchema `json:"data_source_schemas"`
}

type jsonFile struct {
	ProviderSchemas map[string]*jsonProvider `json:"provider_schemas"`
}

// ---- the schema in protocol form, with each block's value type ----------------

type attr struct {
	typ      tftypes.Type
	computed bool
}

type block struct {
	proto  *tfprotov5.SchemaBlock
	typ    tftypes.Object
	attrs  map[string]attr
	blocks map[string]*nested
}

type nested struct {
	mode  tfprotov5.SchemaNestedBlockNestingMode
	block *block
}

// ctyType reads a cty type in its JSON form ("string", ["list", T],
// ["map", T], ["set", T], ["object", {...}], "dynamic").
func ctyType(raw json.RawMessage) (tftypes.Type, error) {
	var prim string
	if err := json.Unmarshal(raw, &prim); err == nil {
		switch prim {
		case "string":
			return tftypes.String, nil
		case "number":
			return tftypes.Number, nil
		case "bool":
			return tftypes.Bool, nil
		case "dynamic":
			return tftypes.DynamicPseudoType, nil
		}
		return nil, fmt.Errorf("unknown type %q", prim)
	}
	var pair []json.RawMessage
	if err := json.Unmarshal(raw, &pair); err != nil || len(pair) != 2 {
		return nil, fmt.Errorf("bad type %s", raw)
	}
	var kind string
	if err := json.Unmarshal(pair[0], &kind); err != nil {
		return nil, err
	}
	if kind == "object" {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(pair[1], &fields); err != nil {
			return nil, err
		}
		types := map[string]tftypes.Type{}
		for k, v := range fields {
			t, err := ctyType(v)
			if err != nil {
				return nil, err
			}
			types[k] = t
		}
		return tftypes.Object{AttributeTypes: types}, nil
	}
	el, err := ctyType(pair[1])
	if err != nil {
		return nil, err
	}
	switch kind {
	case "list":
		return tftypes.List{ElementType: el}, nil
	case "set":
		return tftypes.Set{ElementType: el}, nil
	case "map":
		return tftypes.Map{ElementType: el}, nil
	}
	return nil, fmt.Errorf("unknown collection %q", kind)
}

func buildBlock(jb *jsonBlock) (*block, error) {
	b := &block{proto: &tfprotov5.SchemaBlock{}, attrs: map[string]attr{}, blocks: map[string]*nested{}}
	types := map[string]tftypes.Type{}
	names := make([]string, 0, len(jb.Attributes))
	for n := range jb.Attributes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a := jb.Attributes[n]
		t, err := ctyType(a.Type)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		b.proto.Attributes = append(b.proto.Attributes, &tfprotov5.SchemaAttribute{
			Name: n, Type: t, Required: a.Required, Optional: a.Optional, Computed: a.Computed,
		})
		b.attrs[n] = attr{typ: t, computed: a.Computed}
		types[n] = t
	}
	names = names[:0]
	for n := range jb.BlockTypes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		bt := jb.BlockTypes[n]
		inner, err := buildBlock(bt.Block)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		mode := tfprotov5.SchemaNestedBlockNestingModeList
		var t tftypes.Type = tftypes.List{ElementType: inner.typ}
		switch bt.NestingMode {
		case "set":
			mode = tfprotov5.SchemaNestedBlockNestingModeSet
			t = tftypes.Set{ElementType: inner.typ}
		case "single":
			mode = tfprotov5.SchemaNestedBlockNestingModeSingle
			t = inner.typ
		}
		b.proto.BlockTypes = append(b.proto.BlockTypes, &tfprotov5.SchemaNestedBlock{
			TypeName: n, Block: inner.proto, Nesting: mode,
			MinItems: bt.MinItems, MaxItems: bt.MaxItems,
		})
		b.blocks[n] = &nested{mode: mode, block: inner}
		types[n] = t
	}
	b.typ = tftypes.Object{AttributeTypes: types}
	return b, nil
}

// ---- planning and reading --------------------------------------------------------

// plan returns v with every null computed attribute unknown, recursively.
func plan(v tftypes.Value, b *block) (tftypes.Value, error) {
	if v.IsNull() || !v.IsKnown() {
		return v, nil
	}
	var fields map[string]tftypes.Value
	if err := v.As(&fields); err != nil {
		return v, err
	}
	out := map[string]tftypes.Value{}
	for name, fv := range fields {
		if a, ok := b.attrs[name]; ok {
			if a.computed && fv.IsNull() {
				fv = tftypes.NewValue(a.typ, tftypes.UnknownValue)
			}
			out[name] = fv
			continue
		}
		nb, ok := b.blocks[name]
		if !ok {
			out[name] = fv
			continue
		}
		pv, err := planNested(fv, nb)
		if err != nil {
			return v, err
		}
		out[name] = pv
	}
	return tftypes.NewValue(b.typ, out), nil
}

func planNested(v tftypes.Value, nb *nested) (tftypes.Value, error) {
	if v.IsNull() || !v.IsKnown() {
		return v, nil
	}
	if nb.mode == tfprotov5.SchemaNestedBlockNestingModeSingle {
		return plan(v, nb.block)
	}
	var items []tftypes.Value
	if err := v.As(&items); err != nil {
		return v, err
	}
	for i := range items {
		p, err := plan(items[i], nb.block)
		if err != nil {
			return v, err
		}
		items[i] = p
	}
	if nb.mode == tfprotov5.SchemaNestedBlockNestingModeSet {
		return tftypes.NewValue(tftypes.Set{ElementType: nb.block.typ}, items), nil
	}
	return tftypes.NewValue(tftypes.List{ElementType: nb.block.typ}, items), nil
}

// zero is a known value of type t: "", 0, false, empty collections.
func zero(t tftypes.Type) tftypes.Value {
	switch {
	case t.Is(tftypes.String):
		return tftypes.NewValue(t, "")
	case t.Is(tftypes.Number):
		return tftypes.NewValue(t, big.NewFloat(0))
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, false)
	case t.Is(tftypes.List{}), t.Is(tftypes.Set{}), t.Is(tftypes.Tuple{}):
		return tftypes.NewValue(t, []tftypes.Value{})
	case t.Is(tftypes.Map{}):
		return tftypes.NewValue(t, map[string]tftypes.Value{})
	case t.Is(tftypes.Object{}):
		o := t.(tftypes.Object)
		f := map[string]tftypes.Value{}
		for k, at := range o.AttributeTypes {
			f[k] = zero(at)
		}
		return tftypes.NewValue(t, f)
	}
	return tftypes.NewValue(tftypes.String, "")
}

// known values some data sources answer with; anything else is zero.
func dataValues(typeName, region string) map[string]string {
	switch typeName {
	case "aws_partition":
		return map[string]string{"id": "aws", "partition": "aws", "dns_suffix": "amazonaws.com",
			"reverse_dns_prefix": "com.amazonaws"}
	case "aws_region":
		return map[string]string{"id": region, "region": region, "name": region,
			"endpoint": "ec2." + region + ".amazonaws.com", "description": region}
	case "aws_caller_identity":
		return map[string]string{"id": "123456789012", "account_id": "123456789012",
			"arn": "arn:aws:iam::123456789012:user/svcgen-tfmock", "user_id": "AIDASVCGENTFMOCK"}
	}
	return nil
}

func readData(v tftypes.Value, b *block, known map[string]string) (tftypes.Value, error) {
	var fields map[string]tftypes.Value
	if err := v.As(&fields); err != nil {
		return v, err
	}
	out := map[string]tftypes.Value{}
	for name, fv := range fields {
		if a, ok := b.attrs[name]; ok && fv.IsNull() && a.computed {
			if s, ok := known[name]; ok && a.typ.Is(tftypes.String) {
				fv = tftypes.NewValue(tftypes.String, s)
			} else {
				fv = zero(a.typ)
			}
		}
		out[name] = fv
	}
	return tftypes.NewValue(b.typ, out), nil
}

// ---- the server -----------------------------------------------------------------

type server struct {
	provider    *block
	resources   map[string]*block
	dataSources map[string]*block
	schema      *tfprotov5.GetProviderSchemaResponse
	region      string
}

func errDiag(summary, detail string) []*tfprotov5.Diagnostic {
	return []*tfprotov5.Diagnostic{{Severity: tfprotov5.DiagnosticSeverityError, Summary: summary, Detail: detail}}
}

func load(path string) (*server, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f jsonFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	p := f.ProviderSchemas[providerAddr]
	if p == nil || p.Provider == nil {
		return nil, fmt.Errorf("%s: no schema of %s", path, providerAddr)
	}
	s := &server{resources: map[string]*block{}, dataSources: map[string]*block{}, region: "us-east-1"}
	if s.provider, err = buildBlock(p.Provider.Block); err != nil {
		return nil, fmt.Errorf("provider: %w", err)
	}
	s.schema = &tfprotov5.GetProviderSchemaResponse{
		Provider:          &tfprotov5.Schema{Block: s.provider.proto},
		ResourceSchemas:   map[string]*tfprotov5.Schema{},
		DataSourceSchemas: map[string]*tfprotov5.Schema{},
	}
	for name, js := range p.ResourceSchemas {
		b, err := buildBlock(js.Block)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		s.resources[name] = b
		s.schema.ResourceSchemas[name] = &tfprotov5.Schema{Version: js.Version, Block: b.proto}
	}
	for name, js := range p.DataSourceSchemas {
		b, err := buildBlock(js.Block)
		if err != nil {
			return nil, fmt.Errorf("data %s: %w", name, err)
		}
		s.dataSources[name] = b
		s.schema.DataSourceSchemas[name] = &tfprotov5.Schema{Version: js.Version, Block: b.proto}
	}
	return s, nil
}

func (s *server) GetMetadata(ctx context.Context, req *tfprotov5.GetMetadataRequest) (*tfprotov5.GetMetadataResponse, error) {
	resp := &tfprotov5.GetMetadataResponse{}
	for n := range s.resources {
		resp.Resources = append(resp.Resources, tfprotov5.ResourceMetadata{TypeName: n})
	}
	for n := range s.dataSources {
		resp.DataSources = append(resp.DataSources, tfprotov5.DataSourceMetadata{TypeName: n})
	}
	return resp, nil
}

func (s *server) GetProviderSchema(ctx context.Context, req *tfprotov5.GetProviderSchemaRequest) (*tfprotov5.GetProviderSchemaResponse, error) {
	return s.schema, nil
}

func (s *server) PrepareProviderConfig(ctx context.Context, req *tfprotov5.PrepareProviderConfigRequest) (*tfprotov5.PrepareProviderConfigResponse, error) {
	return &tfprotov5.PrepareProviderConfigResponse{PreparedConfig: req.Config}, nil
}

func (s *server) ConfigureProvider(ctx context.Context, req *tfprotov5.ConfigureProviderRequest) (*tfprotov5.ConfigureProviderResponse, error) {
	v, err := req.Config.Unmarshal(s.provider.typ)
	if err != nil {
		return &tfprotov5.ConfigureProviderResponse{Diagnostics: errDiag("tfmock: provider config", err.Error())}, nil
	}
	var fields map[string]tftypes.Value
	if v.IsKnown() && !v.IsNull() && v.As(&fields) == nil {
		if r, ok := fields["region"]; ok && r.IsKnown() && !r.IsNull() {
			_ = r.As(&s.region)
		}
	}
	return &tfprotov5.ConfigureProviderResponse{}, nil
}

func (s *server) StopProvider(ctx context.Context, req *tfprotov5.StopProviderRequest) (*tfprotov5.StopProviderResponse, error) {
	return &tfprotov5.StopProviderResponse{}, nil
}

func (s *server) ValidateResourceTypeConfig(ctx context.Context, req *tfprotov5.ValidateResourceTypeConfigRequest) (*tfprotov5.ValidateResourceTypeConfigResponse, error) {
	return &tfprotov5.ValidateResourceTypeConfigResponse{}, nil
}

func (s *server) UpgradeResourceState(ctx context.Context, req *tfprotov5.UpgradeResourceStateRequest) (*tfprotov5.UpgradeResourceStateResponse, error) {
	b := s.resources[req.TypeName]
	if b == nil {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: errDiag("tfmock: unknown resource type", req.TypeName)}, nil
	}
	v, err := req.RawState.UnmarshalWithOpts(b.typ, tfprotov5.UnmarshalOpts{})
	if err != nil {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: errDiag("tfmock: state", err.Error())}, nil
	}
	dv, err := tfprotov5.NewDynamicValue(b.typ, v)
	if err != nil {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: errDiag("tfmock: state", err.Error())}, nil
	}
	return &tfprotov5.UpgradeResourceStateResponse{UpgradedState: &dv}, nil
}

func (s *server) ReadResource(ctx context.Context, req *tfprotov5.ReadResourceRequest) (*tfprotov5.ReadResourceResponse, error) {
	return &tfprotov5.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}, nil
}

func (s *server) PlanResourceChange(ctx context.Context, req *tfprotov5.PlanResourceChangeRequest) (*tfprotov5.PlanResourceChangeResponse, error) {
	b := s.resources[req.TypeName]
	if b == nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errDiag("tfmock: unknown resource type", req.TypeName)}, nil
	}
	proposed, err := req.ProposedNewState.Unmarshal(b.typ)
	if err != nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errDiag("tfmock: proposed state", err.Error())}, nil
	}
	planned, err := plan(proposed, b)
	if err != nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errDiag("tfmock: plan", err.Error())}, nil
	}
	dv, err := tfprotov5.NewDynamicValue(b.typ, planned)
	if err != nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errDiag("tfmock: plan", err.Error())}, nil
	}
	return &tfprotov5.PlanResourceChangeResponse{PlannedState: &dv}, nil
}

func (s *server) ApplyResourceChange(ctx context.Context, req *tfprotov5.ApplyResourceChangeRequest) (*tfprotov5.ApplyResourceChangeResponse, error) {
	return &tfprotov5.ApplyResourceChangeResponse{Diagnostics: errDiag("tfmock applies nothing",
		"tfmock is a schema-only mock of hashicorp/aws for terraform validate and plan")}, nil
}

func (s *server) ImportResourceState(ctx context.Context, req *tfprotov5.ImportResourceStateRequest) (*tfprotov5.ImportResourceStateResponse, error) {
	return &tfprotov5.ImportResourceStateResponse{Diagnostics: errDiag("tfmock imports nothing", req.TypeName)}, nil
}

func (s *server) MoveResourceState(ctx context.Context, req *tfprotov5.MoveResourceStateRequest) (*tfprotov5.MoveResourceStateResponse, error) {
	return &tfprotov5.MoveResourceStateResponse{Diagnostics: errDiag("tfmock moves nothing", req.TargetTypeName)}, nil
}

func (s *server) ValidateDataSourceConfig(ctx context.Context, req *tfprotov5.ValidateDataSourceConfigRequest) (*tfprotov5.ValidateDataSourceConfigResponse, error) {
	return &tfprotov5.ValidateDataSourceConfigResponse{}, nil
}

func (s *server) ReadDataSource(ctx context.Context, req *tfprotov5.ReadDataSourceRequest) (*tfprotov5.ReadDataSourceResponse, error) {
	b := s.dataSources[req.TypeName]
	if b == nil {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: errDiag("tfmock: unknown data source", req.TypeName)}, nil
	}
	cfg, err := req.Config.Unmarshal(b.typ)
	if err != nil {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: errDiag("tfmock: data config", err.Error())}, nil
	}
	region := s.region
	if req.TypeName == "aws_region" {
		var fields map[string]tftypes.Value
		if cfg.As(&fields) == nil {
			if r, ok := fields["region"]; ok && r.IsKnown() && !r.IsNull() {
				_ = r.As(&region)
			}
		}
	}
	state, err := readData(cfg, b, dataValues(req.TypeName, region))
	if err != nil {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: errDiag("tfmock: read", err.Error())}, nil
	}
	dv, err := tfprotov5.NewDynamicValue(b.typ, state)
	if err != nil {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: errDiag("tfmock: read", err.Error())}, nil
	}
	return &tfprotov5.ReadDataSourceResponse{State: &dv}, nil
}

func (s *server) CallFunction(ctx context.Context, req *tfprotov5.CallFunctionRequest) (*tfprotov5.CallFunctionResponse, error) {
	return &tfprotov5.CallFunctionResponse{Error: &tfprotov5.FunctionError{Text: "tfmock has no functions"}}, nil
}

func (s *server) GetFunctions(ctx context.Context, req *tfprotov5.GetFunctionsRequest) (*tfprotov5.GetFunctionsResponse, error) {
	return &tfprotov5.GetFunctionsResponse{Functions: map[string]*tfprotov5.Function{}}, nil
}

func (s *server) ValidateEphemeralResourceConfig(ctx context.Context, req *tfprotov5.ValidateEphemeralResourceConfigRequest) (*tfprotov5.ValidateEphemeralResourceConfigResponse, error) {
	return &tfprotov5.ValidateEphemeralResourceConfigResponse{Diagnostics: errDiag("tfmock has no ephemeral resources", req.TypeName)}, nil
}

func (s *server) OpenEphemeralResource(ctx context.Context, req *tfprotov5.OpenEphemeralResourceRequest) (*tfprotov5.OpenEphemeralResourceResponse, error) {
	return &tfprotov5.OpenEphemeralResourceResponse{Diagnostics: errDiag("tfmock has no ephemeral resources", req.TypeName)}, nil
}

func (s *server) RenewEphemeralResource(ctx context.Context, req *tfprotov5.RenewEphemeralResourceRequest) (*tfprotov5.RenewEphemeralResourceResponse, error) {
	return &tfprotov5.RenewEphemeralResourceResponse{}, nil
}

func (s *server) CloseEphemeralResource(ctx context.Context, req *tfprotov5.CloseEphemeralResourceRequest) (*tfprotov5.CloseEphemeralResourceResponse, error) {
	return &tfprotov5.CloseEphemeralResourceResponse{}, nil
}

func main() {
	path := os.Getenv("SVCGEN_TFMOCK_SCHEMA")
	if path == "" {
		fmt.Fprintln(os.Stderr, "tfmock: set SVCGEN_TFMOCK_SCHEMA to the provider schema (tests/tf/aws_schema.py)")
		os.Exit(2)
	}
	s, err := load(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tfmock:", err)
		os.Exit(2)
	}
	if err := tf5server.Serve(providerAddr, func() tfprotov5.ProviderServer { return s }); err != nil {
		fmt.Fprintln(os.Stderr, "tfmock:", err)
		os.Exit(1)
	}
}
