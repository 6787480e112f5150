@{
    RootModule           = 'NeuralStyle.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '71c360fe-d809-44a9-b4cc-9cf4b4d17dcf'
    Author               = 'NeuralStyle developers'
    CompanyName          = 'NeuralStyle'
    Copyright            = '(c) NeuralStyle developers. MIT licence.'
    Description          = 'Neural style transfer and high-resolution multi-scale neural texture synthesis (Gatys; Snelgrove 2017) on TorchSharp.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('NeuralStyle.Format.ps1xml')
    CmdletsToExport      = @('Get-StylePyramid', 'Get-StyleDevice', 'Get-StyleModel', 'Save-StyleModel', 'New-NeuralTexture', 'New-StyleTransfer')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('NeuralStyle', 'StyleTransfer', 'Texture', 'TorchSharp', 'Gatys', 'Snelgrove', 'Linux', 'Windows')
        }
    }
}
