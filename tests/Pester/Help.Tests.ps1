# Every exported cmdlet has real help (from docs/help/*.md via tools/New-MamlHelp.ps1), not the
# syntax-only stub Get-Help makes up when no help file is found.
# Needs $env:NEURALSTYLE_MODULE: the built module folder (out/NeuralStyle) or its manifest.

BeforeDiscovery {
    # The test cases (one per cmdlet) are made at discovery, so the module is loaded here too.
    $module = Import-Module $env:NEURALSTYLE_MODULE -Force -PassThru | Select-Object -First 1
    $cmdletCases = @(Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name |
            ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    Import-Module $env:NEURALSTYLE_MODULE -Force

    # Parameters PowerShell adds (-Verbose, -WhatIf, ...); their help is PowerShell's.
    function Test-CommonParameter([string] $Name) {
        [System.Management.Automation.Cmdlet]::CommonParameters.Contains($Name) -or
        [System.Management.Automation.Cmdlet]::OptionalCommonParameters.Contains($Name)
    }

    # MAML text ({ Text = ... } objects, one per paragraph) as one string.
    function Get-HelpText($Node) {
        return (@($Node | ForEach-Object { $_.Text }) -join "`n").Trim()
    }
}

Describe 'Module help' {
    # Discovery-time values reach the run only as test data.
    It 'has cmdlets to check' -ForEach @{ CmdletCount = $cmdletCases.Count } {
        $CmdletCount | Should -BeGreaterThan 0
    }
}

Describe 'Help for <Name>' -ForEach $cmdletCases {
    BeforeAll {
        $command = Get-Command -Name $Name -CommandType Cmdlet
        $help = Get-Help -Name $Name -Full
    }

    It 'has a synopsis, not the syntax-only stub' {
        $synopsis = ([string]$help.Synopsis).Trim()
        $synopsis | Should -Not -BeNullOrEmpty
        # Without a help file, the synopsis is the syntax line, which starts with the cmdlet name.
        $synopsis | Should -Not -Match "^$([regex]::Escape($Name))(\s|$)"
    }

    It 'opens its own online page: HelpUri and the first related link point at docs/help/<Name>.md' {
        $command.HelpUri | Should -BeLike "https://*/docs/help/$Name.md"
        @($help.relatedLinks.navigationLink)[0].uri | Should -Be $command.HelpUri
    }

    It 'has a description' {
        Get-HelpText $help.Description | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples, each with code' {
        $examples = @($help.Examples.Example | Where-Object { $_ })
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            ([string]$example.Code).Trim() | Should -Not -BeNullOrEmpty -Because "example '$($example.Title.Trim('- '))' needs code"
        }
    }

    It 'describes every parameter' {
        $own = @($command.Parameters.Keys | Where-Object { -not (Test-CommonParameter $_) })
        $helpParameters = @($help.Parameters.Parameter)
        foreach ($name in $own) {
            $entry = $helpParameters | Where-Object Name -EQ $name | Select-Object -First 1
            $entry | Should -Not -BeNullOrEmpty -Because "-$name must appear in the help"
            Get-HelpText $entry.Description | Should -Not -BeNullOrEmpty -Because "-$name needs a description"
        }
    }
}

Describe 'about_NeuralStyle' {
    It 'is found by Get-Help and covers concepts, method, memory, devices, the runtime installer and troubleshooting' {
        $text = Get-Help about_NeuralStyle | Out-String
        foreach ($heading in 'CONCEPTS', 'THE METHOD', 'MEMORY', 'DEVICES', 'THE RUNTIME INSTALLER', 'TROUBLESHOOTING') {
            $text | Should -Match "(?m)^\s*$heading\s*$"
        }
        $text | Should -Match 'Install-StyleRuntime -Backend Cuda'
    }
}
