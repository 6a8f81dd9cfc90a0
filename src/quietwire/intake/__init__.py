"""quietwire.intake"""
