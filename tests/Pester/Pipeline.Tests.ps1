# Objects with a Path property bind to -Path by property name, as with Get-FileHash: hand-made objects,
# and the module's own results piped onward.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $env:NEURALSTYLE_MODULE -Force
    $examples = Join-Path $env:NEURALSTYLE_REPO 'examples'
}

Describe 'Pipeline input by property name' {
    BeforeEach {
        $work = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $work
        Copy-Item (Join-Path $examples 'cat.jpg'), (Join-Path $examples 'wood-planks.jpg') $work
        Push-Location $work
    }
    AfterEach { Pop-Location }

    It 'Get-StylePyramid takes [pscustomobject]@{Path=...}, wildcards included' {
        $levels = [pscustomobject]@{ Path = 'cat.jpg' } | Get-StylePyramid -Octaves 2
        $levels | Should -HaveCount 2
        $levels[0].Source | Should -Be (Join-Path $work 'cat.jpg')
        ([pscustomobject]@{ Path = '*.jpg' } | Get-StylePyramid -Octaves 1).Source | Should -Be (Join-Path $work 'cat.jpg'), (Join-Path $work 'wood-planks.jpg')
    }

    It 'Get-StylePyramid takes its own written levels and a New-NeuralTexture result from the pipeline' {
        $written = Get-StylePyramid cat.jpg -Octaves 2 -OutputDirectory out
        $again = $written | Get-StylePyramid -Octaves 1
        $again.Source | Should -Be $written.Path
        $again.Width | Should -Be 384, 192
        $texture = New-NeuralTexture -Source wood-planks.jpg -Size 32 -Octaves 1 -Iterations 1 -Seed 1 -OutPath texture.png
        ($texture | Get-StylePyramid -Octaves 2).Source | Should -Be (Join-Path $work 'texture.png'), (Join-Path $work 'texture.png')
    }
}
