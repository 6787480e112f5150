<#
.SYNOPSIS
    Generates MAML help (<Assembly>.dll-Help.xml) for a binary module from one Markdown file per cmdlet.

.DESCRIPTION
    Syntax and parameter metadata (parameter sets, types, Mandatory, Position, pipeline input,
    aliases, wildcard support, ValidateSet/enum values) are read from the compiled cmdlets, so
    they cannot drift from the code. Prose (synopsis, description, examples, parameter
    descriptions, default values, inputs, outputs, notes, related links) comes from
    <SourceDirectory>/<Cmdlet-Name>.md, in a platyPS-like layout; docs/help/README.md describes it.

    The script fails (exit code 1, one line per problem) when a cmdlet has no Markdown file,
    a parameter is undocumented or documented but does not exist, a cmdlet has fewer than two
    examples with code, or a required section is empty. Run it in a fresh pwsh: it imports the
    module, and a loaded binary module cannot be unloaded.

.EXAMPLE
    pwsh -NoProfile -File tools/New-MamlHelp.ps1 -ModulePath out/NeuralStyle -SourceDirectory docs/help `
        -OutputPath out/NeuralStyle/en-US/NeuralStyle.PowerShell.dll-Help.xml
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SourceDirectory,
    [Parameter(Mandatory)] [string] $OutputPath
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$script:NsMaml = 'http://schemas.microsoft.com/maml/2004/10'
$script:NsCommand = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$script:NsDev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$script:NsMSHelp = 'http://msdn.microsoft.com/mshelp'

# Sections a help file may have, in the order they are written; SYNOPSIS, DESCRIPTION and EXAMPLES are required.
$script:KnownSections = @('SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS')

# -WhatIf and -Confirm are parameters PowerShell adds, but MAML lists them (as platyPS does) so that
# Get-Help shows them in the syntax. The Markdown may document them; otherwise these texts are used.
$script:ShouldProcessText = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}
$script:ShouldProcessAliases = @{ WhatIf = 'wi'; Confirm = 'cf' }

#region Markdown reading

# Splits a Markdown file into { Title; Sections = ordered H2 name -> @{ Lines; Subsections = list of @{ Title; Lines } } }.
# Headings inside fenced code blocks are code (PowerShell comments start with '#'), not headings.
function Read-HelpMarkdown([string] $Path) {
    $doc = [ordered]@{ Title = $null; Sections = [ordered]@{} }
    $section = $null
    $sub = $null
    $fence = $null
    foreach ($line in [System.IO.File]::ReadAllLines($Path)) {
        if ($fence) {
            if ($line -match "^\s*$([regex]::Escape($fence))\s*$") { $fence = $null }
        }
        elseif ($line -match '^\s*(```+|~~~+)') { $fence = $Matches[1] }
        elseif ($line -match '^(#{1,3})\s+(.+?)\s*#*\s*$') {
            $level = $Matches[1].Length
            $text = $Matches[2]
            if ($level -eq 1) { $doc.Title = $text; $section = $null; $sub = $null; continue }
            if ($level -eq 2) {
                $section = @{ Lines = [System.Collections.Generic.List[string]]::new(); Subsections = [System.Collections.Generic.List[object]]::new() }
                $doc.Sections[$text.ToUpperInvariant()] = $section
                $sub = $null
                continue
            }
            if ($section) {
                $sub = @{ Title = $text; Lines = [System.Collections.Generic.List[string]]::new() }
                $section.Subsections.Add($sub)
                continue
            }
        }
        if ($sub) { $sub.Lines.Add($line) } elseif ($section) { $section.Lines.Add($line) }
    }
    return $doc
}

# Turns Markdown lines into blocks: @{ Kind = 'Para' | 'Code'; Text; Language }.
# A paragraph's lines are joined with spaces (Markdown soft breaks); each list item is its own paragraph.
function ConvertTo-Blocks([string[]] $Lines) {
    $blocks = [System.Collections.Generic.List[object]]::new()
    $para = [System.Collections.Generic.List[string]]::new()
    $code = $null
    $flush = {
        if ($para.Count) { $blocks.Add(@{ Kind = 'Para'; Text = ($para -join ' ').Trim(); Language = $null }); $para.Clear() }
    }
    foreach ($line in $Lines) {
        if ($null -ne $code) {
            if ($line -match "^\s*$([regex]::Escape($code.Fence))\s*$") {
                $blocks.Add(@{ Kind = 'Code'; Text = ($code.Lines -join "`n"); Language = $code.Language })
                $code = $null
            }
            else { $code.Lines.Add($line) }
            continue
        }
        if ($line -match '^\s*(```+|~~~+)\s*([\w-]*)') {
            & $flush
            $code = @{ Fence = $Matches[1]; Language = $Matches[2]; Lines = [System.Collections.Generic.List[string]]::new() }
            continue
        }
        if ($line -match '^\s*$') { & $flush; continue }
        if ($line -match '^\s*([-*+]|\d+[.)])\s+') { & $flush }
        $para.Add($line.Trim())
    }
    & $flush
    if ($null -ne $code) { throw "unterminated code fence ($($code.Fence))" }
    return , $blocks
}

function Get-Paragraphs([string[]] $Lines) {
    return @((ConvertTo-Blocks $Lines) | ForEach-Object { $_.Text } | Where-Object { $_ })
}

function Get-SectionLines($Doc, [string] $Name) {
    if ($Doc.Sections.Contains($Name)) { return @($Doc.Sections[$Name].Lines) }
    return @()
}

function Get-Subsections($Doc, [string] $Name) {
    if ($Doc.Sections.Contains($Name)) { return @($Doc.Sections[$Name].Subsections) }
    return @()
}

# One example: '### Example 1: Title', code fence(s) joined into the code, every other paragraph a remark.
function ConvertTo-Example($Subsection) {
    $blocks = ConvertTo-Blocks $Subsection.Lines
    return @{
        Title   = $Subsection.Title
        Code    = (@($blocks | Where-Object Kind -EQ 'Code' | ForEach-Object Text) -join "`n`n")
        Remarks = @($blocks | Where-Object Kind -EQ 'Para' | ForEach-Object Text)
    }
}

# One parameter: '### -Name', description paragraphs, optional 'Default: value' line.
# yaml code blocks (platyPS metadata) are ignored: that metadata comes from the code.
function ConvertTo-ParameterDoc($Subsection) {
    $default = $null
    $lines = foreach ($line in $Subsection.Lines) {
        if ($null -eq $default -and $line -match '^\s*Default:\s*(.*?)\s*$') { $default = $Matches[1] } else { $line }
    }
    $blocks = ConvertTo-Blocks $lines
    return @{
        Name        = $Subsection.Title.TrimStart('-').Trim()
        Description = @($blocks | Where-Object { $_.Kind -eq 'Para' -or $_.Language -ne 'yaml' } | ForEach-Object Text)
        Default     = $default
    }
}

# '### TypeName' entries of INPUTS / OUTPUTS.
function ConvertTo-TypeDocs($Subsections) {
    return @(foreach ($s in $Subsections) { @{ Name = $s.Title; Description = @(Get-Paragraphs $s.Lines) } })
}

# '- [text](uri)', '[text](uri)', '- text' or 'text' per line.
function ConvertTo-Links([string[]] $Lines) {
    return @(foreach ($line in $Lines) {
            $t = ($line -replace '^\s*[-*+]\s+', '').Trim()
            if (-not $t) { continue }
            if ($t -match '^\[(.*)\]\((.*)\)$') { @{ Text = $Matches[1]; Uri = $Matches[2] } }
            else { @{ Text = $t; Uri = '' } }
        })
}

#endregion

#region Code metadata

function Test-CommonParameter([string] $Name) {
    return [System.Management.Automation.Cmdlet]::CommonParameters.Contains($Name) -or
    [System.Management.Automation.Cmdlet]::OptionalCommonParameters.Contains($Name)
}

# Parameters Get-Help should show: the cmdlet's own plus -WhatIf/-Confirm (not -Verbose, -ErrorAction, ...).
function Test-ListedParameter([string] $Name) {
    return -not (Test-CommonParameter $Name) -or $script:ShouldProcessText.ContainsKey($Name)
}

# Short type names as Get-Help shows them: String[], SwitchParameter, Nullable[Int32], List[String].
function Get-TypeDisplayName([type] $Type) {
    if ($Type.IsArray) { return (Get-TypeDisplayName $Type.GetElementType()) + '[]' }
    if ($Type.IsGenericType) {
        $inner = @($Type.GetGenericArguments() | ForEach-Object { Get-TypeDisplayName $_ }) -join ', '
        return ($Type.Name -replace '`\d+$', '') + "[$inner]"
    }
    return $Type.Name
}

# Values for {a | b | c} in the syntax: a ValidateSet, else the names of an enum (or enum array / nullable enum).
function Get-AllowedValues($Parameter) {
    $set = $Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
    if ($set) { return @($set.ValidValues) }
    $t = $Parameter.ParameterType
    if ($t.IsArray) { $t = $t.GetElementType() }
    $t = [Nullable]::GetUnderlyingType($t) ?? $t
    if ($t.IsEnum) { return [Enum]::GetNames($t) }
    return @()
}

function Format-PipelineInput([bool] $ByValue, [bool] $ByPropertyName) {
    $kinds = @(if ($ByPropertyName) { 'ByPropertyName' }; if ($ByValue) { 'ByValue' })
    if ($kinds) { return "True ($($kinds -join ', '))" }
    return 'False'
}

function Format-Position([int] $Position) {
    if ($Position -lt 0) { return 'named' }   # int.MinValue when not positional
    return [string]$Position
}

# Facts about one parameter in one parameter set, as MAML attribute strings.
function Get-ParameterFacts([System.Management.Automation.CommandParameterInfo] $P) {
    return @{
        Required = $P.IsMandatory.ToString().ToLowerInvariant()
        Position = Format-Position $P.Position
        Pipeline = Format-PipelineInput $P.ValueFromPipeline $P.ValueFromPipelineByPropertyName
    }
}

# The same fact over several parameter sets: the value if they agree, else 'value (Set); value (Set)'.
function Join-PerSet($PerSet, [string] $Key) {
    $distinct = @($PerSet | ForEach-Object { $_.Facts[$Key] } | Select-Object -Unique)
    if ($distinct.Count -eq 1) { return $distinct[0] }
    return (@($PerSet | ForEach-Object { "$($_.Facts[$Key]) ($($_.Set))" }) -join '; ')
}

# Get-Command's display order: positional by position, then mandatory named, then the rest, -WhatIf/-Confirm last.
function Get-SyntaxOrder([System.Management.Automation.CommandParameterSetInfo] $Set) {
    $listed = @($Set.Parameters | Where-Object { Test-ListedParameter $_.Name })
    return $listed | Sort-Object -Stable -Property @(
        @{ Expression = { if ($script:ShouldProcessText.ContainsKey($_.Name)) { 3 } elseif ($_.Position -ge 0) { 0 } elseif ($_.IsMandatory) { 1 } else { 2 } } },
        @{ Expression = { if ($_.Position -ge 0) { $_.Position } else { 0 } } }
    )
}

#endregion

#region Validation

# Everything wrong with one cmdlet's Markdown, as messages; empty when it is good.
function Test-HelpSource([System.Management.Automation.CmdletInfo] $Cmdlet, $Doc, [string] $File) {
    $problems = [System.Collections.Generic.List[string]]::new()
    $add = { param($m) $problems.Add("$($Cmdlet.Name) ($File): $m") }
    if ($Doc.Title -ne $Cmdlet.Name) { & $add "title is '# $($Doc.Title)', expected '# $($Cmdlet.Name)'" }
    foreach ($name in $Doc.Sections.Keys) {
        if ($name -notin $script:KnownSections) { & $add "unknown section '## $name' (known: $($script:KnownSections -join ', '))" }
    }
    if (-not (Get-Paragraphs (Get-SectionLines $Doc 'SYNOPSIS'))) { & $add 'SYNOPSIS is missing or empty' }
    if (-not (Get-Paragraphs (Get-SectionLines $Doc 'DESCRIPTION'))) { & $add 'DESCRIPTION is missing or empty' }

    $examples = @(Get-Subsections $Doc 'EXAMPLES' | ForEach-Object { ConvertTo-Example $_ })
    foreach ($e in $examples | Where-Object { -not $_.Code }) { & $add "example '$($e.Title)' has no code block" }
    $withCode = @($examples | Where-Object Code).Count
    if ($withCode -lt 2) { & $add "has $withCode example(s) with code; at least 2 are required" }

    $documented = @(Get-Subsections $Doc 'PARAMETERS' | Where-Object Title -NE 'CommonParameters' | ForEach-Object { ConvertTo-ParameterDoc $_ })
    $real = @($Cmdlet.Parameters.Keys | Where-Object { Test-ListedParameter $_ })
    foreach ($name in $real) {
        if ($script:ShouldProcessText.ContainsKey($name)) { continue }   # optional: a standard text is used
        $doc = $documented | Where-Object Name -EQ $name | Select-Object -First 1
        if (-not $doc) { & $add "parameter -$name has no '### -$name' section under PARAMETERS" }
        elseif (-not $doc.Description) { & $add "parameter -$name has an empty description" }
    }
    foreach ($doc in $documented) {
        if ($doc.Name -notin $real) { & $add "documents parameter -$($doc.Name), which the cmdlet does not have" }
    }
    $dupes = @($documented | Group-Object Name | Where-Object Count -GT 1 | ForEach-Object Name)
    foreach ($d in $dupes) { & $add "parameter -$d is documented more than once" }
    return , $problems
}

#endregion

#region MAML writing

function Write-Paras([System.Xml.XmlWriter] $W, [string[]] $Paras) {
    $Paras = @($Paras | Where-Object { $_ })
    if (-not $Paras) { $Paras = @('') }
    foreach ($p in $Paras) { $W.WriteElementString('maml', 'para', $script:NsMaml, $p) }
}

function Write-Description([System.Xml.XmlWriter] $W, [string[]] $Paras) {
    $W.WriteStartElement('maml', 'description', $script:NsMaml)
    Write-Paras $W $Paras
    $W.WriteEndElement()
}

function Write-DevType([System.Xml.XmlWriter] $W, [string] $Name, [switch] $WithUri) {
    $W.WriteStartElement('dev', 'type', $script:NsDev)
    $W.WriteElementString('maml', 'name', $script:NsMaml, $Name)
    if ($WithUri) { $W.WriteStartElement('maml', 'uri', $script:NsMaml); $W.WriteEndElement() }
    $W.WriteEndElement()
}

# One <command:parameter>, used both in a syntax item and in the parameter list.
# $Info: Name, Type, IsSwitch, Aliases, Globbing, Values, Description, Default, Required, Position, Pipeline.
function Write-Parameter([System.Xml.XmlWriter] $W, $Info, [switch] $InSyntax) {
    $W.WriteStartElement('command', 'parameter', $script:NsCommand)
    $W.WriteAttributeString('required', $Info.Required)
    $W.WriteAttributeString('variableLength', 'true')
    $W.WriteAttributeString('globbing', $Info.Globbing.ToString().ToLowerInvariant())
    $W.WriteAttributeString('pipelineInput', $Info.Pipeline)
    $W.WriteAttributeString('position', $Info.Position)
    $W.WriteAttributeString('aliases', ($Info.Aliases ? ($Info.Aliases -join ', ') : 'none'))
    $W.WriteElementString('maml', 'name', $script:NsMaml, $Info.Name)
    Write-Description $W $Info.Description
    if ($Info.Values) {
        # Get-Help shows these as {a | b | c} in the syntax.
        $W.WriteStartElement('command', 'parameterValueGroup', $script:NsCommand)
        foreach ($v in $Info.Values) {
            $W.WriteStartElement('command', 'parameterValue', $script:NsCommand)
            $W.WriteAttributeString('required', 'false')
            $W.WriteAttributeString('command', 'variableLength', $script:NsCommand, 'false')
            $W.WriteString($v)
            $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }
    # A switch takes no value: none in the syntax ([-Force]); an optional one in the list (-Force [<SwitchParameter>]).
    if (-not ($Info.IsSwitch -and $InSyntax)) {
        $W.WriteStartElement('command', 'parameterValue', $script:NsCommand)
        $W.WriteAttributeString('required', (-not $Info.IsSwitch).ToString().ToLowerInvariant())
        $W.WriteAttributeString('variableLength', 'false')
        $W.WriteString($Info.Type)
        $W.WriteEndElement()
    }
    Write-DevType $W $Info.Type -WithUri
    $W.WriteElementString('dev', 'defaultValue', $script:NsDev, $Info.Default)
    $W.WriteEndElement()
}

# Everything about one parameter that does not depend on the parameter set.
function Get-ParameterInfo([System.Management.Automation.CmdletInfo] $Cmdlet, [string] $Name, $ParamDocs) {
    $meta = $Cmdlet.Parameters[$Name]
    $doc = $ParamDocs | Where-Object Name -EQ $Name | Select-Object -First 1
    $isSwitch = $meta.SwitchParameter
    $description = if ($doc) { $doc.Description } else { $script:ShouldProcessText[$Name] }
    $default = if ($doc -and $doc.Default) { $doc.Default } elseif ($isSwitch) { 'False' } else { 'None' }
    $aliases = @($meta.Aliases)
    if (-not $aliases -and $script:ShouldProcessAliases.ContainsKey($Name)) { $aliases = @($script:ShouldProcessAliases[$Name]) }
    return @{
        Name        = $Name
        Type        = Get-TypeDisplayName $meta.ParameterType
        IsSwitch    = $isSwitch
        Aliases     = $aliases
        Globbing    = [bool]($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
        Values      = @(Get-AllowedValues $meta)
        Description = @($description)
        Default     = $default
    }
}

function Write-Syntax([System.Xml.XmlWriter] $W, [System.Management.Automation.CmdletInfo] $Cmdlet, $ParamDocs) {
    $W.WriteStartElement('command', 'syntax', $script:NsCommand)
    # The default parameter set first, as Get-Command -Syntax shows it.
    foreach ($set in @($Cmdlet.ParameterSets | Sort-Object -Stable { -not $_.IsDefault })) {
        $W.WriteStartElement('command', 'syntaxItem', $script:NsCommand)
        $W.WriteElementString('maml', 'name', $script:NsMaml, $Cmdlet.Name)
        foreach ($p in Get-SyntaxOrder $set) {
            $info = Get-ParameterInfo $Cmdlet $p.Name $ParamDocs
            $facts = Get-ParameterFacts $p
            $info.Required = $facts.Required; $info.Position = $facts.Position; $info.Pipeline = $facts.Pipeline
            Write-Parameter $W $info -InSyntax
        }
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

function Write-ParameterList([System.Xml.XmlWriter] $W, [System.Management.Automation.CmdletInfo] $Cmdlet, $ParamDocs) {
    $W.WriteStartElement('command', 'parameters', $script:NsCommand)
    foreach ($name in @($Cmdlet.Parameters.Keys | Where-Object { Test-ListedParameter $_ } | Sort-Object)) {
        $info = Get-ParameterInfo $Cmdlet $name $ParamDocs
        $perSet = @(foreach ($set in $Cmdlet.ParameterSets) {
                $p = $set.Parameters | Where-Object Name -EQ $name | Select-Object -First 1
                if ($p) { @{ Set = $set.Name; Facts = Get-ParameterFacts $p } }
            })
        # Get-Help reads 'required' as a boolean, so no per-set text here: true when any set needs it
        # (the syntax shows which).
        $info.Required = (@($perSet | Where-Object { $_.Facts.Required -eq 'true' }).Count -gt 0).ToString().ToLowerInvariant()
        $info.Position = Join-PerSet $perSet 'Position'
        $info.Pipeline = Join-PerSet $perSet 'Pipeline'
        Write-Parameter $W $info
    }
    $W.WriteEndElement()
}

# INPUTS / OUTPUTS. Without documented outputs, the cmdlet's [OutputType] names are listed.
function Write-TypeList([System.Xml.XmlWriter] $W, [string] $ListName, [string] $ItemName, $Types) {
    $W.WriteStartElement('command', $ListName, $script:NsCommand)
    foreach ($t in $Types) {
        $W.WriteStartElement('command', $ItemName, $script:NsCommand)
        Write-DevType $W $t.Name
        Write-Description $W $t.Description
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

function Write-Examples([System.Xml.XmlWriter] $W, $Examples) {
    $W.WriteStartElement('command', 'examples', $script:NsCommand)
    foreach ($e in $Examples) {
        $W.WriteStartElement('command', 'example', $script:NsCommand)
        # Get-Help prints the title as is; the dashes are the usual MAML look.
        $W.WriteElementString('maml', 'title', $script:NsMaml, "-------------------------- $($e.Title) --------------------------")
        $W.WriteElementString('dev', 'code', $script:NsDev, $e.Code)
        $W.WriteStartElement('dev', 'remarks', $script:NsDev)
        Write-Paras $W $e.Remarks
        $W.WriteEndElement()
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

# The first link is the cmdlet's own online page (its HelpUri): Get-Help -Online opens the first link.
function Write-RelatedLinks([System.Xml.XmlWriter] $W, [System.Management.Automation.CmdletInfo] $Cmdlet, $Links) {
    $W.WriteStartElement('command', 'relatedLinks', $script:NsCommand)
    foreach ($l in @(@{ Text = 'Online version:'; Uri = $Cmdlet.HelpUri }) + @($Links)) {
        $W.WriteStartElement('maml', 'navigationLink', $script:NsMaml)
        $W.WriteElementString('maml', 'linkText', $script:NsMaml, $l.Text)
        $W.WriteElementString('maml', 'uri', $script:NsMaml, $l.Uri)
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

function Write-CommandHelp([System.Xml.XmlWriter] $W, [System.Management.Automation.CmdletInfo] $Cmdlet, $Doc) {
    $paramDocs = @(Get-Subsections $Doc 'PARAMETERS' | Where-Object Title -NE 'CommonParameters' | ForEach-Object { ConvertTo-ParameterDoc $_ })
    $W.WriteStartElement('command', 'command', $script:NsCommand)
    $W.WriteAttributeString('xmlns', 'maml', $null, $script:NsMaml)
    $W.WriteAttributeString('xmlns', 'command', $null, $script:NsCommand)
    $W.WriteAttributeString('xmlns', 'dev', $null, $script:NsDev)
    $W.WriteAttributeString('xmlns', 'MSHelp', $null, $script:NsMSHelp)

    $W.WriteStartElement('command', 'details', $script:NsCommand)
    $W.WriteElementString('command', 'name', $script:NsCommand, $Cmdlet.Name)
    $W.WriteElementString('command', 'verb', $script:NsCommand, $Cmdlet.Verb)
    $W.WriteElementString('command', 'noun', $script:NsCommand, $Cmdlet.Noun)
    Write-Description $W (Get-Paragraphs (Get-SectionLines $Doc 'SYNOPSIS'))
    $W.WriteEndElement()

    Write-Description $W (Get-Paragraphs (Get-SectionLines $Doc 'DESCRIPTION'))
    Write-Syntax $W $Cmdlet $paramDocs
    Write-ParameterList $W $Cmdlet $paramDocs
    Write-TypeList $W 'inputTypes' 'inputType' (ConvertTo-TypeDocs (Get-Subsections $Doc 'INPUTS'))
    $outputs = ConvertTo-TypeDocs (Get-Subsections $Doc 'OUTPUTS')
    if (-not $outputs) { $outputs = @($Cmdlet.OutputType | ForEach-Object { @{ Name = $_.Name; Description = @() } }) }
    Write-TypeList $W 'returnValues' 'returnValue' $outputs

    $W.WriteStartElement('maml', 'alertSet', $script:NsMaml)
    $W.WriteStartElement('maml', 'alert', $script:NsMaml)
    Write-Paras $W (Get-Paragraphs (Get-SectionLines $Doc 'NOTES'))
    $W.WriteEndElement()
    $W.WriteEndElement()

    Write-Examples $W @(Get-Subsections $Doc 'EXAMPLES' | ForEach-Object { ConvertTo-Example $_ })
    Write-RelatedLinks $W $Cmdlet (ConvertTo-Links (Get-SectionLines $Doc 'RELATED LINKS'))
    $W.WriteEndElement()
}

function Write-HelpFile([string] $Path, $Entries) {
    $dir = Split-Path -Parent $Path
    if ($dir -and -not (Test-Path -LiteralPath $dir)) { New-Item -ItemType Directory -Path $dir -Force | Out-Null }
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.IndentChars = '  '
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $w = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $w.WriteStartDocument()
        $w.WriteStartElement('helpItems', 'http://msh')
        $w.WriteAttributeString('schema', 'maml')
        foreach ($e in $Entries) { Write-CommandHelp $w $e.Cmdlet $e.Doc }
        $w.WriteEndElement()
        $w.WriteEndDocument()
    }
    finally { $w.Dispose() }
}

#endregion

function Get-ModuleCmdlets([string] $Path) {
    $module = Import-Module -Name (Resolve-Path -LiteralPath $Path).ProviderPath -Force -PassThru -ErrorAction Stop |
        Select-Object -First 1
    return @(Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name)
}

function Invoke-Main {
    $source = (Resolve-Path -LiteralPath $SourceDirectory).ProviderPath
    $cmdlets = Get-ModuleCmdlets $ModulePath
    if (-not $cmdlets) { throw "Module '$ModulePath' exports no cmdlets." }

    $problems = [System.Collections.Generic.List[string]]::new()
    $entries = [System.Collections.Generic.List[object]]::new()
    foreach ($cmdlet in $cmdlets) {
        $file = Join-Path $source "$($cmdlet.Name).md"
        if (-not (Test-Path -LiteralPath $file)) { $problems.Add("$($cmdlet.Name): no help source $file"); continue }
        if (-not $cmdlet.HelpUri) { $problems.Add("$($cmdlet.Name): no HelpUri (set HelpUri = OnlineHelp.Base + `"$($cmdlet.Name).md`" in its [Cmdlet] attribute)") }
        try { $doc = Read-HelpMarkdown $file; $found = Test-HelpSource $cmdlet $doc $file }
        catch { $problems.Add("$($cmdlet.Name) ($file): $($_.Exception.Message)"); continue }
        $problems.AddRange($found)
        $entries.Add(@{ Cmdlet = $cmdlet; Doc = $doc })
    }
    # A help source for a cmdlet that no longer exists is stale (about_*.md topics are not cmdlet help).
    foreach ($md in Get-ChildItem -LiteralPath $source -Filter '*.md' -File) {
        if ($md.BaseName -like 'about_*' -or $md.BaseName -eq 'README') { continue }
        if ($md.BaseName -notin $cmdlets.Name) { $problems.Add("$($md.Name): no exported cmdlet named '$($md.BaseName)'") }
    }

    if ($problems.Count) {
        [Console]::Error.WriteLine("New-MamlHelp: $($problems.Count) problem(s) in the help sources:")
        foreach ($p in $problems) { [Console]::Error.WriteLine("  - $p") }
        exit 1
    }

    # A binary cmdlet looks for <its assembly file>-Help.xml; warn when the output would never be found.
    $expected = @($cmdlets | ForEach-Object { "$([IO.Path]::GetFileName($_.ImplementingType.Assembly.Location))-Help.xml" } | Select-Object -Unique)
    if ((Split-Path -Leaf $OutputPath) -notin $expected) { Write-Warning "Get-Help looks for $($expected -join ' / '), not $(Split-Path -Leaf $OutputPath)." }

    Write-HelpFile $OutputPath $entries
    Write-Host "Wrote help for $($entries.Count) cmdlet(s): $OutputPath"
}

Invoke-Main
