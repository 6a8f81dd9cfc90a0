"""quietwire.verify"""
